package io.greenpledge.push;

import io.greenpledge.wire.Frames;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The latest state of one key (an instrument's price, a pledge's valuation) with the window it last
 * changed in and its version (one more per change). Its JSON is encoded at most once per change and
 * form, however many sockets receive it. For desks that take deltas it keeps, while it is dirty,
 * the value it had at the end of the previous window: what every up-to-date desk holds.
 */
final class Item {

  final String channel;
  final String type;
  final String bank;

  /** The instrument or pledge id. */
  final String key;

  /** The data field that names the key; always sent, whatever the desk's fields. */
  private final String keyField;

  private Object value;
  private long sourceTs;
  private long window;
  private long version;
  private String encoded;
  private final Encoder encoder;

  /** The value before this window's first change, while dirty and while delta desks exist. */
  private Object base;

  private long baseVersion;
  private JsonObject data;

  /** This change's encodings for options other than the default, by options key ("+": delta). */
  private Map<String, String> forms;

  /** Turns the value into the item's {@code data}. */
  interface Encoder {
    JsonObject encode(Object value);
  }

  Item(String channel, String type, String bank, String key, String keyField, Encoder encoder) {
    this.channel = channel;
    this.type = type;
    this.bank = bank;
    this.key = key;
    this.keyField = keyField;
    this.encoder = encoder;
  }

  /**
   * @param keepBase whether a desk may want a delta of this window: then the value before its first
   *     change in the window is kept until the window is sent
   */
  void update(Object newValue, long newSourceTs, long currentWindow, boolean keepBase) {
    if (window != currentWindow) {
      base = keepBase ? value : null;
      baseVersion = version;
    }
    value = newValue;
    version++;
    sourceTs = newSourceTs;
    window = currentWindow;
    encoded = null;
    data = null;
    forms = null;
  }

  /** Its window is sent: the base and the other forms are no longer needed. */
  void windowSent() {
    base = null;
    data = null;
    forms = null;
  }

  /** Frees the encoded JSON once its window is sent; a million idle keys keep no text. */
  void dropEncoding() {
    windowSent();
    encoded = null;
  }

  long sourceTs() {
    return sourceTs;
  }

  /** The value it holds (the same object until it changes). */
  Object value() {
    return value;
  }

  long window() {
    return window;
  }

  long version() {
    return version;
  }

  boolean hasValue() {
    return value != null;
  }

  /** The item whole, as every desk without options receives it. */
  String encoded() {
    if (encoded == null) {
      encoded = Frames.item(channel, type, sourceTs, data().encode());
    }
    return encoded;
  }

  /**
   * The item in the form {@code options} ask for.
   *
   * @param optionsKey the options' signature, computed once by the caller (a lane)
   * @param asDelta for a delta desk that holds the previous window: only the changed fields, with
   *     {@code base} (whole, with {@code v} only, when no base was kept)
   */
  String encoded(StreamOptions options, String optionsKey, boolean asDelta) {
    if (options.plain()) {
      return encoded();
    }
    boolean delta = options.delta() && asDelta && base != null;
    if (forms == null) {
      forms = new HashMap<>(4);
    }
    // the whole form under the options' key, the delta form under a key of its own
    return forms.computeIfAbsent(delta ? optionsKey + "+" : optionsKey, f -> build(options, delta));
  }

  private String build(StreamOptions options, boolean delta) {
    JsonObject current = select(data(), options);
    if (!options.delta()) {
      return Frames.item(channel, type, sourceTs, current.encode());
    }
    if (!delta) {
      return Frames.item(channel, type, sourceTs, version, null, current.encode());
    }
    JsonObject before = select(encoder.encode(base), options);
    JsonObject changed = new JsonObject().put(keyField, current.getValue(keyField));
    current.forEach(
        field -> {
          if (!Objects.equals(field.getValue(), before.getValue(field.getKey()))) {
            changed.put(field.getKey(), field.getValue());
          }
        });
    return Frames.item(channel, type, sourceTs, version, baseVersion, changed.encode());
  }

  private JsonObject data() {
    if (data == null) {
      data = encoder.encode(value);
    }
    return data;
  }

  private JsonObject select(JsonObject whole, StreamOptions options) {
    if (options.fields() == null) {
      return whole;
    }
    JsonObject selected = new JsonObject().put(keyField, whole.getValue(keyField));
    for (String field : options.fields()) {
      if (whole.containsKey(field)) {
        selected.put(field, whole.getValue(field));
      }
    }
    return selected;
  }
}
