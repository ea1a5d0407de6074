package io.greenpledge.push;

import io.greenpledge.wire.Frames;

/**
 * The latest state of one key (an instrument's price, a pledge's valuation) with the window it last
 * changed in. Its JSON is encoded at most once per change, however many sockets receive it.
 */
final class Item {

  final String channel;
  final String type;
  final String bank;
  private Object value;
  private long sourceTs;
  private long window;
  private String encoded;
  private final Encoder encoder;

  /** Turns the value into the item's {@code data} JSON text. */
  interface Encoder {
    String encode(Object value);
  }

  Item(String channel, String type, String bank, Encoder encoder) {
    this.channel = channel;
    this.type = type;
    this.bank = bank;
    this.encoder = encoder;
  }

  void update(Object newValue, long newSourceTs, long currentWindow) {
    value = newValue;
    sourceTs = newSourceTs;
    window = currentWindow;
    encoded = null;
  }

  /** Frees the encoded JSON once its window is sent; a million idle keys keep no text. */
  void dropEncoding() {
    encoded = null;
  }

  long sourceTs() {
    return sourceTs;
  }

  long window() {
    return window;
  }

  boolean hasValue() {
    return value != null;
  }

  String encoded() {
    if (encoded == null) {
      encoded = Frames.item(channel, type, sourceTs, encoder.encode(value));
    }
    return encoded;
  }
}
