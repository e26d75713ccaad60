package dev.f2p.security.pdq;

import java.util.Objects;

/**
 * A hash-list file could not be loaded: which file, what went wrong, and on which line. The message names
 * the file and line but never repeats the line's content. A list that fails to load is never used in part.
 */
public final class PdqHashListException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The file could not be read. */
    IO,
    /** The file is not UTF-8. */
    ENCODING,
    /** A line is longer than {@link PdqHashList#MAX_LINE_LENGTH}. */
    LINE_TOO_LONG,
    /** A line does not start with 64 hex digits followed by a tab or the end of the line. */
    BAD_HASH,
    /** A label is too long or holds a control character. */
    BAD_LABEL,
    /** The file holds more entries than the configured maximum. */
    TOO_MANY_ENTRIES
  }

  /** What went wrong. */
  private final Kind kind;
  /** The 1-based line at fault; 0 when the fault is not on one line. */
  private final long line;

  PdqHashListException(Kind kind, String source, long line, String what) {
    super(source + (line > 0 ? " line " + line : "") + ": " + what);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.line = line;
  }

  PdqHashListException(String source, Throwable cause) {
    super(source + ": cannot read: " + cause.getClass().getSimpleName(), cause);
    this.kind = Kind.IO;
    this.line = 0;
  }

  /**
   * What went wrong, for code that reacts to it (an operator alert, a retry after a partial upload).
   *
   * @return the kind of fault
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The line at fault.
   *
   * @return the 1-based line number, or 0 when the fault is not on one line
   */
  public long line() {
    return line;
  }
}
