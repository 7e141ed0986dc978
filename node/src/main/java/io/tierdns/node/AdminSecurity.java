package io.tierdns.node;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Start-up checks of the admin API: no key, no listening beyond loopback. */
public final class AdminSecurity {

  private AdminSecurity() {}

  /** Effective API key: configuration first, then TIERDNS_API_KEY; null when neither is set. */
  public static String apiKey(NodeConfiguration.Admin admin) {
    String key = admin.getApiKey();
    if (key == null || key.isBlank()) {
      key = System.getenv("TIERDNS_API_KEY");
    }
    return key == null || key.isBlank() ? null : key.trim();
  }

  /**
   * Refuses an admin API on a non-loopback address without a key: an open write API on the
   * network is never a safe default.
   */
  static void checkBindable(NodeConfiguration.Admin admin) {
    if (apiKey(admin) != null) {
      return;
    }
    try {
      if (!InetAddress.getByName(admin.getHost()).isLoopbackAddress()) {
        throw new IllegalStateException(
            "admin API on non-loopback address " + admin.getHost()
                + " requires an API key (tierdns.admin.api-key or TIERDNS_API_KEY)");
      }
    } catch (UnknownHostException e) {
      throw new IllegalStateException("admin API host '" + admin.getHost() + "' is not an address", e);
    }
  }
}
