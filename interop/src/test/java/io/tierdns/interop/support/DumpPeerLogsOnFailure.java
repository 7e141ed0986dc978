package io.tierdns.interop.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * On a failing test, prints the log of every peer process still running, so the report shows
 * what the servers said and not just what the client saw.
 */
public final class DumpPeerLogsOnFailure implements TestExecutionExceptionHandler {

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
    for (PeerProcess peer : PeerProcess.running()) {
      System.err.println(peer.logText());
    }
    throw throwable;
  }
}
