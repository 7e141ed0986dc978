package io.tierdns.cache;

import java.util.random.RandomGenerator;

/** A "random" generator under test control: fixed double and int answers. */
final class ScriptedRandom implements RandomGenerator {

  volatile double nextDouble = 0.99; // above any exploration probability: no exploring
  volatile int nextInt = 0;

  @Override
  public long nextLong() {
    return 0;
  }

  @Override
  public double nextDouble() {
    return nextDouble;
  }

  @Override
  public int nextInt(int bound) {
    return Math.min(nextInt, bound - 1);
  }
}
