package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The training run of the class-data archive, in this JVM: the hierarchy of {@code up} on free
 * ports answers every query, transfer and admin request it makes (ClassArchiveLauncherIT records
 * a real archive with it).
 */
class ClassArchiveTrainingTest {

  @Test
  void everyStepOfTheTrainingRunSucceeds() throws Exception {
    assertThat(ClassArchiveTraining.train(Instant.now().plus(ClassArchiveTraining.DEADLINE))).isZero();
  }
}
