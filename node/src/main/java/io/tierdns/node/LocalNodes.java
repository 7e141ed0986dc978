package io.tierdns.node;

import io.micronaut.context.BeanContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The nodes running in this JVM, by name: under {@code up} the six nodes of the hierarchy share
 * one process, and the admin API on :8053 reaches the others' caches and state through this
 * registry ({@code ?node=edge-1}). Nodes still talk to each other only through DNS.
 */
public final class LocalNodes {

  private static final Map<String, BeanContext> NODES = new LinkedHashMap<>();

  private LocalNodes() {}

  static synchronized void register(String name, BeanContext context) {
    NODES.put(name, context);
  }

  static synchronized void unregister(String name, BeanContext context) {
    NODES.remove(name, context);
  }

  /** A node of this JVM by name. */
  public static synchronized Optional<BeanContext> node(String name) {
    return Optional.ofNullable(NODES.get(name));
  }

  /** The names of the nodes of this JVM, in start order. */
  public static synchronized List<String> names() {
    return List.copyOf(NODES.keySet());
  }
}
