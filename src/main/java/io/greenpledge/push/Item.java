package io.greenpledge.push;

import io.greenpledge.wire.Frames;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The latest state of one key (an instrument's price, a pledge's valuation) with the window it last
 * changed in and its version (one more per change). Its JSON is encoded at most once per change and
 * form, however many sockets receive it. For desks that take deltas it keeps, while it is dirty,
 * the value it had before its first change in each of the hub's last windows a desk may hold: what
 * an up-to-date desk of each shard holds.
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

  /**
   * While dirty and while delta desks exist: the value before its first change in each window it
   * changed in, oldest first, as far back as a desk may hold (the hub's shards).
   */
  private ArrayDeque<Base> bases;

  /** The last window it changed in while no desk took deltas: no base was kept for it. */
  private long unkeptWindow = Long.MIN_VALUE;

  /** The value and version an item had before its first change in {@code window}. */
  private record Base(long window, Object value, long version) {}

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
   * @param keptWindows 0 when no desk takes deltas; else how many windows back a desk may hold (the
   *     hub's shards): the value before the first change in each of them is kept for its deltas
   */
  void update(Object newValue, long newSourceTs, long currentWindow, int keptWindows) {
    if (window != currentWindow) {
      if (keptWindows == 0) {
        bases = null;
        unkeptWindow = currentWindow;
      } else {
        if (bases == null) {
          bases = new ArrayDeque<>(2);
        }
        while (!bases.isEmpty() && bases.peekFirst().window() <= currentWindow - keptWindows) {
          bases.pollFirst();
        }
        bases.addLast(new Base(currentWindow, value, version));
      }
    }
    value = newValue;
    version++;
    sourceTs = newSourceTs;
    window = currentWindow;
    encoded = null;
    data = null;
    forms = null;
  }

  /** Every shard has been sent its window: the bases and the other forms are no longer needed. */
  void windowSent() {
    bases = null;
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
   * The item whole, in the form {@code options} ask for.
   *
   * @param optionsKey the options' signature, computed once by the caller (a lane)
   */
  String encoded(StreamOptions options, String optionsKey) {
    return options.plain() ? encoded() : form(options, optionsKey, null);
  }

  /**
   * The item for a desk that holds every change up to window {@code heldSince}: for a delta desk,
   * only the fields changed since, with {@code base} (whole, with {@code v} only, when no base was
   * kept); for any other, whole.
   */
  String encoded(StreamOptions options, String optionsKey, long heldSince) {
    if (options.plain()) {
      return encoded();
    }
    return form(options, optionsKey, options.delta() ? baseAfter(heldSince) : null);
  }

  private String form(StreamOptions options, String optionsKey, Base base) {
    if (forms == null) {
      forms = new HashMap<>(4);
    }
    // the whole form under the options' key, each delta form under a key of its own
    return forms.computeIfAbsent(
        base == null ? optionsKey : optionsKey + "+" + base.window(), f -> build(options, base));
  }

  /** What a desk up to date at {@code heldSince} holds: the base of the first change after it. */
  private Base baseAfter(long heldSince) {
    if (bases != null && unkeptWindow <= heldSince) {
      for (Base base : bases) {
        if (base.window() > heldSince) {
          return base.value() == null ? null : base;
        }
      }
    }
    return null;
  }

  private String build(StreamOptions options, Base base) {
    JsonObject current = select(data(), options);
    if (!options.delta()) {
      return Frames.item(channel, type, sourceTs, current.encode());
    }
    if (base == null) {
      return Frames.item(channel, type, sourceTs, version, null, current.encode());
    }
    JsonObject before = select(encoder.encode(base.value()), options);
    JsonObject changed = new JsonObject().put(keyField, current.getValue(keyField));
    current.forEach(
        field -> {
          if (!Objects.equals(field.getValue(), before.getValue(field.getKey()))) {
            changed.put(field.getKey(), field.getValue());
          }
        });
    return Frames.item(channel, type, sourceTs, version, base.version(), changed.encode());
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
