package io.greenpledge.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The house rules of STYLE.md, held by a test: the packages under {@code io.greenpledge} form no
 * cycle; the domain ({@code market}, {@code valuation}) knows nothing of Vert.x, HTTP, SQL, JSON or
 * the rooms above it; edges do not import each other; Vert.x internals are used in one fenced place
 * each.
 */
@AnalyzeClasses(packages = "io.greenpledge", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /**
   * No cycle between packages (what {@code jdeps} would draw). Per package rather than per room: a
   * room's pure vocabulary (e.g. {@code alerts.event}) sits below {@code wire}, which encodes it,
   * while the room's services ({@code alerts}) use {@code wire} to store it.
   */
  @ArchTest
  static final ArchRule packagesFormNoCycle =
      slices().matching("io.greenpledge.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule theDomainIsPure =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.greenpledge.market..",
              "io.greenpledge.valuation..",
              "io.greenpledge.alerts.event..",
              "io.greenpledge.calls..",
              "io.greenpledge.limits..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.vertx..",
              "io.netty..",
              "java.sql..",
              "com.fasterxml..",
              "io.greenpledge.config..",
              "io.greenpledge.api..",
              "io.greenpledge.push..",
              "io.greenpledge.store..",
              "io.greenpledge.engine..",
              "io.greenpledge.wire..",
              "io.greenpledge.book..",
              "io.greenpledge.feed..",
              "io.greenpledge.ops..",
              "io.greenpledge.auth..");

  @ArchTest
  static final ArchRule pushAndApiAreSeparateEdges =
      noClasses()
          .that()
          .resideInAPackage("io.greenpledge.push..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.greenpledge.api..");

  @ArchTest
  static final ArchRule vertxInternalsAreFenced =
      noClasses()
          .that()
          .doNotHaveSimpleName("InlineRequestValidator")
          .and()
          .doNotHaveSimpleName("SocketSession")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.vertx..impl..");
}
