package dev.finops.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON tree that remembers where each value was, so configuration errors can name the line
 * and column as well as the JSON path. Numbers keep their source text (never a double). Duplicate
 * keys are rejected with their location.
 */
public final class LocatedJson {

  private static final JsonFactory FACTORY =
      JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

  /** What went wrong while reading, with the location. */
  public static final class ParseError extends Exception {
    private static final long serialVersionUID = 1L;
    public final int line;
    public final int column;
    public final String path;

    ParseError(String message, int line, int column, String path, Throwable cause) {
      super(message, cause);
      this.line = line;
      this.column = column;
      this.path = path;
    }
  }

  /** A JSON value with its path and location. */
  public abstract static class Node {
    public final String path;
    public final int line;
    public final int column;

    Node(String path, JsonLocation loc) {
      this.path = path;
      this.line = loc == null ? 0 : loc.getLineNr();
      this.column = loc == null ? 0 : loc.getColumnNr();
    }

    /** "object", "array", "string", "number", "boolean" or "null". */
    public abstract String kind();
  }

  /** A JSON object; fields keep their order. */
  public static final class Obj extends Node {
    public final Map<String, Node> fields;

    Obj(String path, JsonLocation loc, Map<String, Node> fields) {
      super(path, loc);
      this.fields = Collections.unmodifiableMap(fields);
    }

    @Override
    public String kind() {
      return "object";
    }
  }

  /** A JSON array. */
  public static final class Arr extends Node {
    public final List<Node> items;

    Arr(String path, JsonLocation loc, List<Node> items) {
      super(path, loc);
      this.items = Collections.unmodifiableList(items);
    }

    @Override
    public String kind() {
      return "array";
    }
  }

  /** A scalar: string, number (source text), boolean or null. */
  public static final class Scalar extends Node {
    public final JsonToken token;
    public final String text;

    Scalar(String path, JsonLocation loc, JsonToken token, String text) {
      super(path, loc);
      this.token = token;
      this.text = text;
    }

    public boolean isNull() {
      return token == JsonToken.VALUE_NULL;
    }

    public boolean isString() {
      return token == JsonToken.VALUE_STRING;
    }

    public boolean isNumber() {
      return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
    }

    @Override
    public String kind() {
      switch (token) {
        case VALUE_STRING:
          return "string";
        case VALUE_NUMBER_INT:
        case VALUE_NUMBER_FLOAT:
          return "number";
        case VALUE_TRUE:
        case VALUE_FALSE:
          return "boolean";
        default:
          return "null";
      }
    }
  }

  private LocatedJson() {}

  /** Reads one JSON document; trailing content after it is an error. */
  public static Node read(InputStream in) throws ParseError, IOException {
    try (JsonParser p = FACTORY.createParser(in)) {
      try {
        JsonToken t = p.nextToken();
        if (t == null) {
          throw new ParseError("empty document", 1, 1, "$", null);
        }
        Node root = readValue(p, "$");
        JsonToken trailing = p.nextToken();
        if (trailing != null) {
          JsonLocation loc = p.currentTokenLocation();
          throw new ParseError("unexpected content after the end of the document", loc.getLineNr(),
              loc.getColumnNr(), "$", null);
        }
        return root;
      } catch (JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        throw new ParseError("malformed JSON: " + e.getOriginalMessage(), loc == null ? 0 : loc.getLineNr(),
            loc == null ? 0 : loc.getColumnNr(), path(p.getParsingContext()), e);
      }
    }
  }

  /** The JSON path ({@code $.models[3].id}) of where the parser stopped. */
  private static String path(com.fasterxml.jackson.core.JsonStreamContext ctx) {
    java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
    for (com.fasterxml.jackson.core.JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
      } else if (c.getCurrentName() != null) {
        parts.push("." + c.getCurrentName());
      }
    }
    return "$" + String.join("", parts);
  }

  private static Node readValue(JsonParser p, String path) throws IOException, ParseError {
    JsonLocation loc = p.currentTokenLocation();
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT: {
        Map<String, Node> fields = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonLocation nameLoc = p.currentTokenLocation();
          String childPath = path + "." + name;
          if (fields.containsKey(name)) {
            throw new ParseError("duplicate key '" + name + "'", nameLoc.getLineNr(), nameLoc.getColumnNr(),
                childPath, null);
          }
          p.nextToken();
          fields.put(name, readValue(p, childPath));
        }
        return new Obj(path, loc, fields);
      }
      case START_ARRAY: {
        List<Node> items = new ArrayList<>();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(readValue(p, path + "[" + i++ + "]"));
        }
        return new Arr(path, loc, items);
      }
      case VALUE_STRING:
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
      case VALUE_TRUE:
      case VALUE_FALSE:
      case VALUE_NULL:
        return new Scalar(path, loc, t, p.getText());
      default:
        throw new ParseError("unexpected token " + t, loc.getLineNr(), loc.getColumnNr(), path, null);
    }
  }
}
