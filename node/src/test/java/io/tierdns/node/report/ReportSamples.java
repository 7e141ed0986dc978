package io.tierdns.node.report;

import io.tierdns.node.report.PropagationController.PropagationJson;
import java.time.Instant;

/** Fixed reports as the API answers them, for the rendering tests. */
final class ReportSamples {

  /** Committed at 12:00:00.120; the edge is still pending, the local cache settled by TTL expiry. */
  static final String MIXED = """
      {"zone":"example.test.","serial":2024050103,"committedAt":"2024-05-01T12:00:00.120Z","nodes":[
       {"node":"secondary","role":"secondary","tier":"regional","state":"PROPAGATED","serial":2024050103,
        "measuredMs":14,"estimateMs":1000,"upperBoundMs":2250,"basis":"observed"},
       {"node":"regional","role":"cache","tier":"regional","state":"PROPAGATED","serial":2024050103,
        "measuredMs":31,"estimateMs":1500,"upperBoundMs":3500,"basis":"observed"},
       {"node":"edge","role":"cache","tier":"edge","state":"PENDING","serial":2024050102,
        "measuredMs":null,"estimateMs":2000,"upperBoundMs":4750,"basis":"pending"},
       {"node":"local <lab>","role":"cache","tier":"local","state":"PROPAGATED","serial":-1,
        "measuredMs":2500,"estimateMs":2500,"upperBoundMs":2500,"basis":"ttl-expiry"}]}
      """;

  /** The same change once every node serves it. */
  static final String DONE = """
      {"zone":"example.test.","serial":2024050103,"committedAt":"2024-05-01T12:00:00.120Z","nodes":[
       {"node":"secondary","role":"secondary","tier":"regional","state":"PROPAGATED","serial":2024050103,
        "measuredMs":14,"estimateMs":1000,"upperBoundMs":2250,"basis":"observed"},
       {"node":"regional","role":"cache","tier":"regional","state":"PROPAGATED","serial":2024050103,
        "measuredMs":31,"estimateMs":1500,"upperBoundMs":3500,"basis":"observed"},
       {"node":"edge","role":"cache","tier":"edge","state":"PROPAGATED","serial":2024050103,
        "measuredMs":1240,"estimateMs":2000,"upperBoundMs":4750,"basis":"observed"},
       {"node":"local <lab>","role":"cache","tier":"local","state":"PROPAGATED","serial":-1,
        "measuredMs":2500,"estimateMs":2500,"upperBoundMs":2500,"basis":"ttl-expiry"}]}
      """;

  /** 1.2 s after the commit of the samples. */
  static final Instant NOW = Instant.parse("2024-05-01T12:00:01.320Z");

  static PropagationJson mixed() {
    return PropagationJsonParser.parse(MIXED);
  }

  static PropagationJson done() {
    return PropagationJsonParser.parse(DONE);
  }

  private ReportSamples() {}
}
