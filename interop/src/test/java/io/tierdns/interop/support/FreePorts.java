package io.tierdns.interop.support;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds a loopback port that is free for both UDP and TCP, which a DNS server needs.
 * Ports handed out in this JVM are remembered so that two peers started back to back
 * do not race for the same one.
 */
public final class FreePorts {

  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /** A port in 20000..59999 that binds on 127.0.0.1 for TCP and UDP right now. */
  public static int udpAndTcp() {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 20000 + ThreadLocalRandom.current().nextInt(40000);
      if (HANDED_OUT.contains(port)) {
        continue;
      }
      try (ServerSocket tcp = new ServerSocket()) {
        tcp.setReuseAddress(false);
        tcp.bind(new InetSocketAddress(loopback, port));
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port))) {
          udp.setReuseAddress(false);
          if (HANDED_OUT.add(port)) {
            return port;
          }
        }
      } catch (IOException inUse) {
        // try another one
      }
    }
    throw new IllegalStateException("no loopback port free for both UDP and TCP after 200 attempts");
  }
}
