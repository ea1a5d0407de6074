package io.greenpledge.config;

/** A setting has a wrong value; the message names the setting so the operator can fix it. */
public final class SettingsException extends RuntimeException {
  public SettingsException(String setting, String problem) {
    super("Setting " + setting + ": " + problem);
  }
}
