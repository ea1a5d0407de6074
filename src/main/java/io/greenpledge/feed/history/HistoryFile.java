package io.greenpledge.feed.history;

import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a history file as a bank has it and turns it into {@link HistoryRow}s, without judging the
 * figures (that is {@link SeriesCheck}'s job). The encoding (UTF-8, with or without a byte-order
 * mark, else GBK) and the layout are detected from the file:
 *
 * <ul>
 *   <li>{@link Layout#VENDOR}: an economic-database export. Header rows (指标名称, 频率, 单位, 指标ID, 来源…),
 *       then one row per date with one column per indicator, and maybe a trailing source line. Each
 *       column's instrument, field and trading mode are read from its indicator name, e.g. {@code
 *       全国碳市场:碳排放配额(CEA):挂牌协议:开盘价}. Prices come from the listed mode (挂牌协议), or the only mode there
 *       is; volume and amount add every mode (大宗协议 trades are trades).
 *   <li>{@link Layout#CSV}: one header row ({@code date,open,high,low,close,volume[,amount]} or 日期,
 *       开盘价, 最高价, 最低价, 收盘价, 成交量, 成交额, maybe an instrument column), one row per day.
 * </ul>
 *
 * Rows may come newest-first; blank rows (holidays) are kept as blank and counted, not refused.
 */
public final class HistoryFile {

  /** How the file lays out its days. */
  public enum Layout {
    VENDOR,
    CSV,
    /** {@code {"instrument":…,"bars":[{"date":…,"open":…,…}]}}, from the history API. */
    JSON,
    /**
     * Trades, {@code ts,instrument,price,quantity} (the replay CSV): journaled as they happened.
     */
    TRADES
  }

  /** One historical trade as a file gives it. */
  public record TradeRow(
      java.time.Instant ts,
      String instrument,
      BigDecimal price,
      BigDecimal quantity,
      String file,
      long line) {
    public String where() {
      return file + " line " + line;
    }
  }

  /** A row the reader could not read, with where and why. */
  public record Problem(String file, long line, String reason) {
    @Override
    public String toString() {
      return file + " line " + line + ": " + reason;
    }
  }

  /** What a file holds. */
  public record Parsed(
      String file,
      Layout layout,
      Charset charset,
      List<HistoryRow> rows,
      List<TradeRow> trades,
      List<Problem> problems) {}

  private static final Charset GBK = Charset.forName("GBK");
  private static final Set<String> VENDOR_HEADERS =
      Set.of("频率", "单位", "指标ID", "指标id", "来源", "数据来源", "更新时间", "时间区间", "起始日期", "截止日期", "备注");
  private static final Pattern CODE = Pattern.compile("[(（]([A-Za-z][A-Za-z0-9-]*)[)）]");

  private final Instruments catalog;
  private final Optional<String> instrument;

  /**
   * @param instrument the instrument of every row, when the file does not name one
   */
  public HistoryFile(Instruments catalog, Optional<String> instrument) {
    this.catalog = catalog;
    this.instrument = instrument;
    instrument.ifPresent(
        id ->
            catalog
                .find(id)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "--instrument " + id + " is not in the catalog " + catalog.ids())));
  }

  /** Reads a file; {@code progress} is told the bytes read so far, now and then. */
  public Parsed read(Path path, LongConsumer progress) throws IOException {
    return read(path, path.getFileName().toString(), progress);
  }

  /** Reads a file recorded under another name (an upload kept in a temporary file). */
  public Parsed read(Path path, String name, LongConsumer progress) throws IOException {
    Charset charset = charsetOf(path);
    try (InputStream raw = Files.newInputStream(path);
        CountingStream counting = new CountingStream(raw, progress);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(skipBom(counting, charset), charset));
        CSVParser parser =
            CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).get().parse(reader)) {
      return parse(name, charset, parser);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Reads {@code {"instrument":…,"bars":[…]}} as a stream (a bar at a time); "line" is the bar's
   * position in the array, from 1.
   */
  public Parsed readJson(Path path, String file) throws IOException {
    List<HistoryRow> rows = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    String id = instrument.orElse(null);
    try (com.fasterxml.jackson.core.JsonParser json =
        new com.fasterxml.jackson.core.JsonFactory().createParser(path.toFile())) {
      if (json.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new IllegalArgumentException(file + ": the body is {\"instrument\":…,\"bars\":[…]}");
      }
      while (json.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String field = json.currentName();
        json.nextToken();
        if (field.equals("instrument")) {
          id = json.getValueAsString();
        } else if (field.equals("bars")
            && json.currentToken() == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
          long index = 0;
          while (json.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
            index++;
            Map<String, String> bar = new HashMap<>();
            while (json.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
              String name = json.currentName();
              json.nextToken();
              bar.put(name, json.currentToken().isScalarValue() ? json.getValueAsString() : "");
              json.skipChildren();
            }
            if (id == null) {
              throw new IllegalArgumentException(
                  file + ": name the instrument (\"instrument\" or ?instrument=)");
            }
            Optional<LocalDate> day = Cells.date(bar.getOrDefault("date", ""));
            if (day.isEmpty()) {
              problems.add(new Problem(file, index, "'" + bar.get("date") + "' is not a date"));
              continue;
            }
            try {
              rows.add(
                  new HistoryRow(
                      id,
                      day.get(),
                      number(bar, "open"),
                      number(bar, "high"),
                      number(bar, "low"),
                      number(bar, "close"),
                      number(bar, "volume"),
                      number(bar, "amount"),
                      file,
                      index));
            } catch (Cells.BadCell e) {
              problems.add(new Problem(file, index, e.getMessage()));
            }
          }
        } else {
          json.skipChildren();
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          file + ": not valid JSON (" + e.getOriginalMessage() + ")");
    }
    return new Parsed(file, Layout.JSON, StandardCharsets.UTF_8, rows, List.of(), problems);
  }

  private static BigDecimal number(Map<String, String> bar, String field) {
    String value = bar.get(field);
    return value == null ? null : Cells.number(value);
  }

  private Parsed parse(String file, Charset charset, CSVParser parser) {
    List<String[]> header = new ArrayList<>();
    List<HistoryRow> rows = new ArrayList<>();
    List<TradeRow> trades = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Layout layout = null;
    Columns columns = null;
    for (CSVRecord record : parser) {
      long line = parser.getCurrentLineNumber();
      String[] cells = record.values();
      String first = cells.length == 0 ? "" : Cells.normalise(cells[0]);
      if (columns == null) {
        if (first.isEmpty() && allBlank(cells)) {
          continue;
        }
        if (first.equals("指标名称")) {
          layout = Layout.VENDOR;
          columns = vendorColumns(file, line, cells);
        } else if (isTradeHeader(cells)) {
          layout = Layout.TRADES;
          columns = new Columns(List.of(), -1);
        } else if (Cells.date(first).isEmpty()) {
          layout = Layout.CSV;
          columns = csvColumns(file, line, cells);
        } else {
          throw new IllegalArgumentException(
              file
                  + " line "
                  + line
                  + ": no header row; expected 指标名称… (a vendor export) or date,open,high,low,close,volume");
        }
        continue;
      }
      if (layout == Layout.TRADES) {
        if (!allBlank(cells)) {
          try {
            trades.add(trade(file, line, cells));
          } catch (Cells.BadCell e) {
            problems.add(new Problem(file, line, e.getMessage()));
          }
        }
        continue;
      }
      Optional<LocalDate> day = Cells.date(first);
      if (day.isEmpty()) {
        if (!first.isEmpty()
            && !VENDOR_HEADERS.contains(first)
            && !first.contains("来源")
            && !first.startsWith("注")) {
          problems.add(new Problem(file, line, "'" + first + "' is not a date"));
        }
        continue;
      }
      try {
        rows.addAll(columns.rows(file, line, day.get(), cells));
      } catch (Cells.BadCell e) {
        problems.add(new Problem(file, line, e.getMessage()));
      }
    }
    if (columns == null) {
      throw new IllegalArgumentException(file + " is empty");
    }
    trades.sort(java.util.Comparator.comparing(TradeRow::ts).thenComparingLong(TradeRow::line));
    return new Parsed(file, layout, charset, rows, trades, problems);
  }

  private static boolean isTradeHeader(String[] cells) {
    return cells.length == 4
        && Cells.normalise(cells[0]).equalsIgnoreCase("ts")
        && Cells.normalise(cells[2]).equalsIgnoreCase("price");
  }

  private TradeRow trade(String file, long line, String[] cells) {
    if (cells.length != 4) {
      throw new Cells.BadCell("expected ts,instrument,price,quantity");
    }
    String id = Cells.normalise(cells[1]);
    BigDecimal price = Cells.number(cells[2]);
    BigDecimal quantity = Cells.number(cells[3]);
    if (price == null || quantity == null) {
      throw new Cells.BadCell("a trade needs a price and a quantity");
    }
    return new TradeRow(
        Cells.instant(cells[0]),
        id.isEmpty() ? instrument.orElse("") : id,
        price,
        quantity,
        file,
        line);
  }

  private static boolean allBlank(String[] cells) {
    for (String cell : cells) {
      if (!Cells.normalise(cell).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** The fields of a day. */
  enum Field {
    OPEN,
    HIGH,
    LOW,
    CLOSE,
    VOLUME,
    AMOUNT;

    /** The field an indicator or header names; amount before volume (成交金额 also starts 成交). */
    static Optional<Field> of(String name) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.contains("成交金额")
          || n.contains("成交额")
          || n.equals("amount")
          || n.equals("turnover")
          || n.equals("notional")) {
        return Optional.of(AMOUNT);
      }
      if (n.contains("成交量") || n.equals("volume") || n.equals("vol")) {
        return Optional.of(VOLUME);
      }
      if (n.contains("开盘") || n.equals("open")) {
        return Optional.of(OPEN);
      }
      if (n.contains("最高") || n.equals("high")) {
        return Optional.of(HIGH);
      }
      if (n.contains("最低") || n.equals("low")) {
        return Optional.of(LOW);
      }
      if (n.contains("收盘") || n.contains("最新价") || n.equals("close") || n.equals("price")) {
        return Optional.of(CLOSE);
      }
      return Optional.empty();
    }
  }

  /** Where an instrument's field is: its column, and whether it is the listed (price) mode. */
  private record Column(int index, String instrument, Field field, boolean block) {}

  /** The columns of a file and how a row becomes one {@link HistoryRow} per instrument. */
  private record Columns(List<Column> columns, int instrumentColumn) {

    List<HistoryRow> rows(String file, long line, LocalDate day, String[] cells) {
      Map<String, BigDecimal[]> listed = new HashMap<>();
      Map<String, BigDecimal[]> block = new HashMap<>();
      Map<String, String> order = new java.util.LinkedHashMap<>();
      for (Column c : columns) {
        String id =
            instrumentColumn >= 0 ? Cells.normalise(cell(cells, instrumentColumn)) : c.instrument();
        order.put(id, id);
        BigDecimal value = Cells.number(cell(cells, c.index()));
        BigDecimal[] fields =
            (c.block() ? block : listed).computeIfAbsent(id, k -> new BigDecimal[6]);
        fields[c.field().ordinal()] = value;
      }
      List<HistoryRow> rows = new ArrayList<>();
      for (String id : order.keySet()) {
        BigDecimal[] l = listed.get(id);
        BigDecimal[] b = block.get(id);
        BigDecimal[] prices = l != null && hasPrice(l) ? l : b != null ? b : l;
        rows.add(
            new HistoryRow(
                id,
                day,
                prices[0],
                prices[1],
                prices[2],
                prices[3],
                sum(l, b, Field.VOLUME),
                sum(l, b, Field.AMOUNT),
                file,
                line));
      }
      return rows;
    }

    private static boolean hasPrice(BigDecimal[] fields) {
      return fields[Field.CLOSE.ordinal()] != null || fields[Field.OPEN.ordinal()] != null;
    }

    private static BigDecimal sum(BigDecimal[] listed, BigDecimal[] block, Field field) {
      BigDecimal a = listed == null ? null : listed[field.ordinal()];
      BigDecimal b = block == null ? null : block[field.ordinal()];
      return a == null ? b : b == null ? a : a.add(b);
    }

    private static String cell(String[] cells, int index) {
      return index < cells.length ? cells[index] : "";
    }
  }

  private Columns vendorColumns(String file, long line, String[] names) {
    List<Column> columns = new ArrayList<>();
    for (int i = 1; i < names.length; i++) {
      String name = Cells.normalise(names[i]);
      if (name.isEmpty()) {
        continue;
      }
      Optional<Field> field = Field.of(lastPart(name));
      if (field.isEmpty()) {
        field = Field.of(name);
      }
      String id = instrumentOf(name).orElse(null);
      if (field.isEmpty() || id == null) {
        throw new IllegalArgumentException(
            file
                + " line "
                + line
                + " column "
                + (i + 1)
                + ": cannot tell "
                + (id == null ? "the instrument" : "the field")
                + " of indicator '"
                + name
                + "'; name the instrument with --instrument, fields are 开盘价 最高价 最低价 最新价/收盘价 成交量 成交金额");
      }
      columns.add(new Column(i, id, field.get(), name.contains("大宗")));
    }
    return new Columns(columns, -1);
  }

  private static String lastPart(String name) {
    String[] parts = name.split("[:：]");
    return parts[parts.length - 1];
  }

  /**
   * The instrument an indicator names: a catalog id in brackets or as a word, or its Chinese name.
   */
  private Optional<String> instrumentOf(String name) {
    Matcher m = CODE.matcher(name);
    while (m.find()) {
      Optional<Instrument> found = catalog.find(m.group(1).toUpperCase(Locale.ROOT));
      if (found.isPresent()) {
        return Optional.of(found.get().id());
      }
    }
    for (Instrument i : catalog.all()) {
      if (name.contains(i.name())) {
        return Optional.of(i.id());
      }
    }
    return instrument;
  }

  private Columns csvColumns(String file, long line, String[] names) {
    List<Column> columns = new ArrayList<>();
    int instrumentColumn = -1;
    for (int i = 1; i < names.length; i++) {
      String name = Cells.normalise(names[i]);
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("instrument")
          || lower.equals("code")
          || name.equals("品种")
          || name.equals("代码")) {
        instrumentColumn = i;
        continue;
      }
      Optional<Field> field = Field.of(name);
      if (field.isPresent()) {
        columns.add(new Column(i, instrument.orElse(null), field.get(), false));
      }
    }
    String first = Cells.normalise(names[0]).toLowerCase(Locale.ROOT);
    if (!(first.equals("date")
        || first.contains("日期")
        || first.equals("day")
        || first.equals("trade_date"))) {
      throw new IllegalArgumentException(
          file
              + " line "
              + line
              + ": the first column must be the date "
              + "(date or 日期), was '"
              + names[0]
              + "'");
    }
    if (columns.stream().noneMatch(c -> c.field() == Field.CLOSE)) {
      throw new IllegalArgumentException(
          file + " line " + line + ": no close column (close, 收盘价 or 最新价)");
    }
    if (instrumentColumn < 0 && instrument.isEmpty()) {
      throw new IllegalArgumentException(
          file + " names no instrument: add --instrument ID or an instrument column");
    }
    return new Columns(columns, instrumentColumn);
  }

  /** The file's SHA-256, hex: the same bytes are the same import. */
  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
      return java.util.HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * UTF-8 if the whole file decodes as UTF-8 (a byte-order mark is skipped), else GBK: a GBK file
   * of Chinese text practically never decodes as valid UTF-8.
   */
  static Charset charsetOf(Path path) throws IOException {
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try (InputStream in = Files.newInputStream(path)) {
      byte[] buffer = new byte[1 << 16];
      ByteBuffer carry = ByteBuffer.allocate(0);
      int n;
      java.nio.CharBuffer out = java.nio.CharBuffer.allocate(1 << 17);
      while ((n = in.read(buffer)) > 0) {
        ByteBuffer chunk = ByteBuffer.allocate(carry.remaining() + n);
        chunk.put(carry).put(buffer, 0, n).flip();
        out.clear();
        var result = decoder.decode(chunk, out, false);
        if (result.isError()) {
          return GBK;
        }
        carry = chunk.slice();
      }
      out.clear();
      ByteBuffer rest = carry;
      if (decoder.decode(rest, out, true).isError() || decoder.flush(out).isError()) {
        return GBK;
      }
      return StandardCharsets.UTF_8;
    } catch (CharacterCodingException e) {
      return GBK;
    }
  }

  private static InputStream skipBom(InputStream in, Charset charset) throws IOException {
    java.io.PushbackInputStream pushback = new java.io.PushbackInputStream(in, 3);
    if (charset.equals(StandardCharsets.UTF_8)) {
      byte[] head = pushback.readNBytes(3);
      if (!(head.length == 3
          && (head[0] & 0xff) == 0xEF
          && (head[1] & 0xff) == 0xBB
          && (head[2] & 0xff) == 0xBF)) {
        pushback.unread(head);
      }
    }
    return pushback;
  }

  /** Tells how many bytes were read, at most every 64 KiB. */
  private static final class CountingStream extends java.io.FilterInputStream {
    private final LongConsumer progress;
    private long count;
    private long told;

    CountingStream(InputStream in, LongConsumer progress) {
      super(in);
      this.progress = progress;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
        if (count - told >= 1 << 16) {
          told = count;
          progress.accept(count);
        }
      }
      return n;
    }
  }
}
