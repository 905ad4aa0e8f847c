package dev.llamasweep.spec;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML node that remembers where it came from: its file, line, column and dotted field path.
 * Validation reads specs through this tree so that every error can say exactly where it is.
 */
public final class Node {
  public enum Kind { MAP, LIST, SCALAR, NULL }

  private final String file;
  private final String field;
  private final int line;
  private final int column;
  private final Kind kind;
  private final Map<String, Node> map;
  private final List<Node> list;
  private final String scalar;
  private final Tag tag;

  private Node(String file, String field, Mark mark, Kind kind, Map<String, Node> map,
      List<Node> list, String scalar, Tag tag) {
    this.file = file;
    this.field = field;
    this.line = mark == null ? 0 : mark.getLine() + 1;
    this.column = mark == null ? 0 : mark.getColumn() + 1;
    this.kind = kind;
    this.map = map;
    this.list = list;
    this.scalar = scalar;
    this.tag = tag;
  }

  /** Parses a YAML file; syntax errors become a {@link SpecException} with the parser's position. */
  /** A spec is small: anything larger is refused before parsing (a 50 MB description is a mistake, not a spec). */
  public static final int MAX_BYTES = 1 << 20;
  /** Values a spec may expand to through aliases before it is refused (an alias bomb would expand forever). */
  static final int MAX_NODES = 100_000;
  /** Levels of nested lists and maps a spec may have (it needs about six). */
  static final int MAX_DEPTH = 64;

  /**
   * Where nesting passes {@link #MAX_DEPTH}, found by walking the parser's events (which keep their
   * marks) after the composer refused the file without one; null when that is not the problem.
   */
  private static Mark tooDeep(Path path) {
    try (Reader r = Files.newBufferedReader(path)) {
      int depth = 0;
      for (org.yaml.snakeyaml.events.Event ev : new Yaml(new LoaderOptions()).parse(r)) {
        if (ev instanceof org.yaml.snakeyaml.events.CollectionStartEvent) {
          if (++depth > MAX_DEPTH) return ev.getStartMark();
        } else if (ev instanceof org.yaml.snakeyaml.events.CollectionEndEvent) {
          depth--;
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  public static Node load(Path path, String displayName) {
    int bad = dev.llamasweep.io.Text.firstUnsafe(displayName);
    if (bad >= 0) {
      throw new SpecException(dev.llamasweep.io.Text.shown(displayName), 1, 1, "", "the spec's file name holds "
          + dev.llamasweep.io.Text.name(displayName.codePointAt(bad)) + "; rename it to one line of printable text (it is written into scripts and reports).");
    }
    if (Files.isDirectory(path)) throw new SpecException(displayName, 0, 0, "", "is a directory, not a spec file.");
    try {
      // a FIFO, a device or a link loop would hang or fill memory: only a regular file is a spec
      try {
        path = dev.llamasweep.io.InputFiles.regular(path, dev.llamasweep.io.InputFiles.Kind.SPEC);
      } catch (dev.llamasweep.io.InputFiles.Unreadable e) {
        String why = e.getMessage().startsWith(path.toString()) ? e.getMessage().substring(path.toString().length()).strip() : e.getMessage();
        throw new SpecException(displayName, 1, 1, "", why);
      }
      long size = Files.size(path);
      if (size > MAX_BYTES) {
        throw new SpecException(displayName, 1, 1, "", String.format(java.util.Locale.ROOT,
            "is %,d bytes; a spec is at most %,d bytes (1 MiB), so this is not one.", size, MAX_BYTES));
      }
      String text = decode(Files.readAllBytes(path), displayName);
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setNestingDepthLimit(MAX_DEPTH);
      options.setMaxAliasesForCollections(100);
      org.yaml.snakeyaml.nodes.Node root = new Yaml(options).compose(new java.io.StringReader(text));
      if (root == null) {
        throw new SpecException(displayName, 1, 1, "", "the file is empty; a spec needs at least name, models, backends and experiments.");
      }
      return wrap(displayName, "", root, new java.util.IdentityHashMap<>(), new int[] {0});
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
      if (e.getContext() != null && e.getContext().contains("duplicate")) {
        problem = e.getContext() + " " + problem;
      }
      throw new SpecException(displayName, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1, "",
          "is not valid YAML: " + problem.trim() + ".");
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      Mark deep = tooDeep(path);
      if (deep != null) {
        throw new SpecException(displayName, deep.getLine() + 1, deep.getColumn() + 1, "", "nests lists and maps more than "
            + MAX_DEPTH + " levels deep here; a spec is a few levels deep, so this is not one.");
      }
      throw new SpecException(displayName, 1, 1, "", "is not valid YAML: " + dev.llamasweep.io.Text.shown(e.getMessage().strip().replaceAll("\\s+", " ")) + ".");
    } catch (IOException e) {
      throw new SpecException(displayName, 0, 0, "", "cannot be read: " + e.getMessage() + ".");
    }
  }

  /** Strict UTF-8 without NUL: a bad byte is named by line and column, never guessed around. */
  static String decode(byte[] bytes, String displayName) {
    java.nio.charset.CharsetDecoder d = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT).onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
    java.nio.charset.CoderResult r = d.decode(in, out, true);
    if (r.isError()) {
      int at = in.position();
      int[] lc = lineColumn(bytes, at);
      throw new SpecException(displayName, lc[0], lc[1], "", String.format(java.util.Locale.ROOT,
          "holds the byte 0x%02X, which is not UTF-8; save the spec as UTF-8 text.", bytes[at] & 0xff));
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        int[] lc = lineColumn(bytes, i);
        throw new SpecException(displayName, lc[0], lc[1], "", "holds a NUL byte; a spec is plain text.");
      }
    }
    out.flip();
    String s = out.toString();
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  private static int[] lineColumn(byte[] bytes, int at) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < at && i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return new int[] {line, col};
  }

  private static Node wrap(String file, String field, org.yaml.snakeyaml.nodes.Node n,
      java.util.IdentityHashMap<org.yaml.snakeyaml.nodes.Node, Boolean> path, int[] count) {
    Mark mark = n.getStartMark();
    if (++count[0] > MAX_NODES) {
      throw new SpecException(file, mark.getLine() + 1, mark.getColumn() + 1, field,
          "expands to more than " + MAX_NODES + " values through aliases; a spec cannot be that large.");
    }
    if (path.containsKey(n)) {
      throw new SpecException(file, mark.getLine() + 1, mark.getColumn() + 1, field,
          "contains itself through a recursive alias; a spec cannot refer to its own enclosing value.");
    }
    path.put(n, Boolean.TRUE);
    try {
      return wrapChecked(file, field, n, path, count, mark);
    } finally {
      path.remove(n);
    }
  }

  private static Node wrapChecked(String file, String field, org.yaml.snakeyaml.nodes.Node n,
      java.util.IdentityHashMap<org.yaml.snakeyaml.nodes.Node, Boolean> path, int[] count, Mark mark) {
    if (n instanceof MappingNode mapping) {
      Map<String, Node> children = new LinkedHashMap<>();
      for (NodeTuple t : mapping.getValue()) {
        org.yaml.snakeyaml.nodes.Node k = t.getKeyNode();
        if (!(k instanceof ScalarNode sk)) {
          throw new SpecException(file, k.getStartMark().getLine() + 1, k.getStartMark().getColumn() + 1, field,
              "keys must be plain words, not lists or maps.");
        }
        String key = sk.getValue();
        refuseUnsafe(file, field.isEmpty() ? key : field + "." + key, key, k.getStartMark(), "key", false);
        String childField = field.isEmpty() ? key : field + "." + key;
        if (children.containsKey(key)) {
          throw new SpecException(file, k.getStartMark().getLine() + 1, k.getStartMark().getColumn() + 1, childField,
              "appears twice in the same map; keep one.");
        }
        Node child = wrap(file, childField, t.getValueNode(), path, count);
        // Remember where the key was, which is where a reader looks for an unknown key.
        children.put(key, child.withKeyMark(k.getStartMark()));
      }
      return new Node(file, field, mark, Kind.MAP, children, null, null, n.getTag());
    }
    if (n instanceof SequenceNode seq) {
      List<Node> items = new ArrayList<>();
      int i = 0;
      for (org.yaml.snakeyaml.nodes.Node item : seq.getValue()) {
        items.add(wrap(file, field + "[" + i++ + "]", item, path, count));
      }
      return new Node(file, field, mark, Kind.LIST, null, items, null, n.getTag());
    }
    ScalarNode s = (ScalarNode) n;
    if (s.getTag().equals(Tag.NULL)) {
      return new Node(file, field, mark, Kind.NULL, null, null, null, s.getTag());
    }
    // free text (a description, a note) may span lines; every other value names something and is one line
    boolean prose = field.equals("description") || field.endsWith(".description") || field.endsWith(".note");
    refuseUnsafe(file, field, s.getValue(), mark, "value", prose);
    return new Node(file, field, mark, Kind.SCALAR, null, null, s.getValue(), s.getTag());
  }

  /**
   * Names, paths and values reach shell scripts, comments, CSV files and reports: a control character
   * (a line break in a profile name, an escape sequence in a path) is refused where it stands.
   */
  private static void refuseUnsafe(String file, String field, String text, Mark mark, String what, boolean prose) {
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (dev.llamasweep.io.Text.isUnsafe(cp) && !(prose && (cp == '\n' || cp == '\t'))) {
        throw new SpecException(file, mark.getLine() + 1, mark.getColumn() + 1, field, "the " + what + " holds "
            + dev.llamasweep.io.Text.name(cp) + "; names, paths and values are one line of printable text"
            + (prose ? "" : " (only a description or a note may span lines)") + ".");
      }
      i += Character.charCount(cp);
    }
  }

  private int keyLine = 0;
  private int keyColumn = 0;

  private Node withKeyMark(Mark m) {
    keyLine = m.getLine() + 1;
    keyColumn = m.getColumn() + 1;
    return this;
  }

  public SpecException error(String problem) {
    return new SpecException(file, line, column, field, problem);
  }

  /** An error located at this node's key rather than its value (for unknown or misplaced keys). */
  public SpecException keyError(String problem) {
    return new SpecException(file, keyLine > 0 ? keyLine : line, keyLine > 0 ? keyColumn : column, field, problem);
  }

  public String file() { return file; }
  public String field() { return field; }
  public int line() { return line; }
  public int column() { return column; }
  public Kind kind() { return kind; }
  public boolean isMap() { return kind == Kind.MAP; }
  public boolean isList() { return kind == Kind.LIST; }
  public boolean isScalar() { return kind == Kind.SCALAR; }
  public boolean isNull() { return kind == Kind.NULL; }

  public Map<String, Node> map() {
    if (kind != Kind.MAP) throw error("must be a map of key: value pairs, not " + describe() + ".");
    return map;
  }

  public List<Node> list() {
    if (kind != Kind.LIST) throw error("must be a list, not " + describe() + ".");
    return list;
  }

  /** The items of a list, or this node alone when a single value stands where a list may. */
  public List<Node> listOrSingle() {
    return kind == Kind.LIST ? list : List.of(this);
  }

  public String text() {
    if (kind != Kind.SCALAR) throw error("must be a single value, not " + describe() + ".");
    return scalar;
  }

  public boolean isPlainString() {
    return kind == Kind.SCALAR && tag.equals(Tag.STR);
  }

  public boolean isInt() {
    return kind == Kind.SCALAR && tag.equals(Tag.INT);
  }

  public boolean isBool() {
    return kind == Kind.SCALAR && tag.equals(Tag.BOOL);
  }

  public boolean isFloat() {
    return kind == Kind.SCALAR && (tag.equals(Tag.FLOAT) || tag.equals(Tag.INT));
  }

  public String string() {
    if (!isScalar()) throw error("must be a text value, not " + describe() + ".");
    return scalar;
  }

  public long integer() {
    if (!isInt()) throw error("must be a whole number, not " + describe() + ".");
    String digits = scalar.replace("_", "");
    if (!digits.matches("[-+]?(0|[1-9][0-9]*)")) {
      // YAML 1.1 also reads 0x1F, 017 and 1:30 as integers: a spec says what it means in decimal
      throw error("must be a whole number written in decimal digits, not '" + scalar + "'.");
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw error("is " + scalar + ", a whole number too large for any setting; give a realistic value.");
    }
  }

  /** A finite number: YAML's .inf and .nan are numbers to the parser, never a setting. */
  public double number() {
    if (!isFloat()) throw error("must be a number, not " + describe() + ".");
    String t = scalar.replace("_", "");
    double v;
    try {
      v = isInt() ? integer() : Double.parseDouble(t);
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    if (!Double.isFinite(v)) throw error("must be a finite number, not '" + scalar + "'.");
    return v;
  }

  public boolean bool() {
    if (!isBool()) throw error("must be true or false, not " + describe() + ".");
    String v = scalar.toLowerCase();
    return v.equals("true") || v.equals("yes") || v.equals("on") || v.equals("y");
  }

  public String describe() {
    return switch (kind) {
      case MAP -> "a map";
      case LIST -> "a list";
      case NULL -> "an empty value";
      case SCALAR -> tag.equals(Tag.INT) ? "the number " + scalar
          : tag.equals(Tag.FLOAT) ? "the number " + scalar
          : tag.equals(Tag.BOOL) ? "the boolean " + scalar
          : "the text '" + scalar + "'";
    };
  }
}
