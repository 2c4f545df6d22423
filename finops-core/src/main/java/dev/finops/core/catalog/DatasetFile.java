package dev.finops.core.catalog;

import dev.finops.core.internal.LocatedJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A dataset file read whole: its bytes (for the version digest) and its located JSON tree. */
record DatasetFile(byte[] bytes, LocatedJson.Node root) {

  private static final int VERSION_HEX_DIGITS = 12;

  /**
   * Reads {@code json} to its end (not closed).
   *
   * @throws CatalogException naming {@code name}, line, column and JSON path of a syntax error
   */
  static DatasetFile read(String name, InputStream json, String what) {
    try {
      byte[] bytes = json.readAllBytes();
      return new DatasetFile(bytes, LocatedJson.read(new ByteArrayInputStream(bytes)));
    } catch (LocatedJson.ParseError e) {
      throw new CatalogException(name, e.line, e.column, e.path, e.getMessage(), e);
    } catch (IOException e) {
      throw new CatalogException(name, 0, 0, null, "cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  /** {@code prefix:} and the first 12 hex digits of the SHA-256 of the file's bytes. */
  String version(String prefix) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return prefix + ":" + HexFormat.of().formatHex(digest, 0, VERSION_HEX_DIGITS / 2);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
