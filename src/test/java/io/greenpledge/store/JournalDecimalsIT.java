package io.greenpledge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.greenpledge.support.TestDatabase;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The decimal text the journal sends for a price or a quantity against the reference it replaces,
 * PostgreSQL's own cast from {@code float8} to four places, on the real server: the same number for
 * prices as markets and files give them (at most four places), for arbitrary doubles, and at the
 * edges.
 */
class JournalDecimalsIT {

  @Test
  @DisplayName(
      "each tick's price and quantity is the number PostgreSQL's float8 cast to four places gave")
  void theTextIsTheNumberTheCastGave() throws Exception {
    SplittableRandom random = new SplittableRandom(20261129);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      // as a market or a file gives them: up to four places, parsed into a double
      long scaled = random.nextLong(1, 10_000_000_000L);
      values.add(Double.parseDouble(BigDecimal.valueOf(scaled, random.nextInt(0, 5)).toString()));
    }
    for (int i = 0; i < 20_000; i++) {
      // any double the market might hold, over the magnitudes a column can take and beyond
      values.add(random.nextDouble() * Math.pow(10, random.nextInt(-8, 16)));
    }
    values.addAll(
        List.of(
            0.0,
            -0.0,
            0.0001,
            0.00005,
            0.00015,
            0.5,
            70.12345,
            72.2,
            1e14 + 0.5,
            99_999_999_999.9999,
            123_456_789_012.3456,
            1e15,
            1e300,
            Double.MIN_VALUE,
            -71.05));
    String[] texts = values.stream().map(JournalDecimals::text).toArray(String[]::new);
    try (Connection connection = TestDatabase.connect(TestDatabase.freshUrl());
        PreparedStatement compare =
            connection.prepareStatement(
                """
                SELECT count(*), string_agg(f || ' -> ' || t, '; ') FILTER (WHERE n < 5)
                FROM (SELECT f, t, row_number() OVER () AS n
                      FROM unnest(?::float8[], ?::text[]) AS u(f, t)
                      WHERE round(f::numeric, 4) IS DISTINCT FROM t::numeric) wrong
                """)) {
      Array doubles = connection.createArrayOf("float8", values.toArray(Double[]::new));
      compare.setArray(1, doubles);
      compare.setArray(2, connection.createArrayOf("text", texts));
      try (ResultSet rows = compare.executeQuery()) {
        rows.next();
        assertEquals(0, rows.getLong(1), "differ from the cast: " + rows.getString(2));
      }
    }
  }
}
