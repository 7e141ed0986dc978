package io.tierdns.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tierdns.wire.QueryContext;
import io.tierdns.wire.QueryHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** What a change-aware cache lets the wire layer's packet cache replay. */
class SubscriptionHandlerReplayTest {

  private final QueryHandler cache =
      new QueryHandler() {
        @Override
        public CompletionStage<Message> handle(Message query, QueryContext context) {
          return CompletableFuture.completedFuture(query);
        }

        @Override
        public long cacheGeneration() {
          return 9;
        }

        @Override
        public int replaySeconds(Message query, Message response) {
          return 42;
        }
      };

  private final SubscriptionHandler handler =
      new SubscriptionHandler(cache, new Subscriptions(List.of()));

  @Test
  void theGenerationAndReplayTimeAreTheCachesButSoaAnswersAreNeverReplayed() {
    assertThat(handler.cacheGeneration()).isEqualTo(9);
    Message a = query(Type.A);
    assertThat(handler.replaySeconds(a, a)).isEqualTo(42);
    Message soa = query(Type.SOA);
    assertThat(handler.replaySeconds(soa, soa)).as("the relay answers subscribers' SOA").isZero();
  }

  private static Message query(int type) {
    return Message.newQuery(
        Record.newRecord(Name.fromConstantString("example.test."), type, DClass.IN));
  }
}
