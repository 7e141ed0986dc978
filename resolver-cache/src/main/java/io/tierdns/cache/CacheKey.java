package io.tierdns.cache;

import java.util.Objects;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What the cache is keyed by: the question, with the name lower-cased (RFC 4343: names compare
 * without regard to case, so {@code WWW.Example.} and {@code www.example.} share one entry).
 *
 * @param name the owner name, lower case, absolute
 * @param type the question type
 * @param dclass the question class
 */
public record CacheKey(Name name, int type, int dclass) {

  public CacheKey {
    Objects.requireNonNull(name, "name");
    if (!name.isAbsolute()) {
      throw new IllegalArgumentException("name must be absolute: " + name);
    }
    name = name.canonicalize();
    Type.check(type);
    DClass.check(dclass);
  }

  /** The key of an IN-class question. */
  public static CacheKey of(Name name, int type) {
    return new CacheKey(name, type, DClass.IN);
  }

  /** The key of a message's question. */
  public static CacheKey of(Message message) {
    Record q = message.getQuestion();
    if (q == null) {
      throw new IllegalArgumentException("message has no question");
    }
    return new CacheKey(q.getName(), q.getType(), q.getDClass());
  }

  @Override
  public String toString() {
    return name + "/" + Type.string(type) + "/" + DClass.string(dclass);
  }
}
