package io.greenpledge.support;

import io.greenpledge.Gateway;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One running gateway for a test class: started before its tests on a fresh database and data dir
 * (settings as GP_* pairs, see {@link TestSettings}), stopped after them. Register it with
 * {@code @RegisterExtension static final GatewayExtension node = new GatewayExtension(…)}.
 */
public final class GatewayExtension implements BeforeAllCallback, AfterAllCallback {

  private final String[] settings;
  private Gateway gateway;
  private Http http;
  private Tokens tokens;

  public GatewayExtension(String... settings) {
    this.settings = settings;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path dataDir = Files.createTempDirectory("gp-test");
    gateway = Gateway.start(TestSettings.with(dataDir, settings));
    http = new Http(gateway.httpPort());
    tokens = Tokens.local(dataDir);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (gateway != null) {
      gateway.close();
    }
  }

  public Gateway gateway() {
    return gateway;
  }

  public Http http() {
    return http;
  }

  /** Tokens signed with the gateway's local key. */
  public Tokens tokens() {
    return tokens;
  }
}
