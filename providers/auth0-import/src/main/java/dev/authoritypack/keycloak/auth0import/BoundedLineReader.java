package dev.authoritypack.keycloak.auth0import;

import java.io.IOException;
import java.io.Reader;

/**
 * The lines of an upload, each at most {@code maxLine} characters kept in memory: a longer line is read to its end
 * and skipped, and reported as too long ({@code readLine} would hold a line of any size before its length is known).
 * Characters are read a buffer at a time. Lines end at {@code \n}; a {@code \r} before it is dropped; the bound
 * counts every character before the {@code \n}, that {@code \r} included. Not thread-safe.
 */
final class BoundedLineReader {

    /** One line: its text without the line end, or no text when it was longer than the bound. */
    record Line(String text) {

        boolean tooLong() {
            return text == null;
        }
    }

    private static final Line TOO_LONG = new Line(null);

    private final Reader in;
    private final int maxLine;
    private final char[] buffer;
    private int position;
    private int end;

    BoundedLineReader(Reader in, int maxLine) {
        this(in, maxLine, 8192);
    }

    BoundedLineReader(Reader in, int maxLine, int bufferSize) {
        this.in = in;
        this.maxLine = maxLine;
        this.buffer = new char[bufferSize];
    }

    /** The next line, or {@code null} at the end of the input (a last line without {@code \n} is a line). */
    Line next() throws IOException {
        StringBuilder text = new StringBuilder();
        boolean tooLong = false;
        while (position < end || fill()) {
            int newline = indexOfNewline();
            int stop = newline < 0 ? end : newline;
            if (!tooLong) {
                if (text.length() + (stop - position) <= maxLine) {
                    text.append(buffer, position, stop - position);
                } else {
                    tooLong = true;
                    text = null; // its rest is only counted past, not kept
                }
            }
            position = newline < 0 ? end : newline + 1;
            if (newline >= 0) {
                return line(text, tooLong);
            }
        }
        return !tooLong && text.isEmpty() ? null : line(text, tooLong);
    }

    private static Line line(StringBuilder text, boolean tooLong) {
        if (tooLong) {
            return TOO_LONG;
        }
        int length = text.length();
        return new Line(length > 0 && text.charAt(length - 1) == '\r' ? text.substring(0, length - 1) : text.toString());
    }

    private int indexOfNewline() {
        for (int i = position; i < end; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Reads the next characters into the buffer; false at the end of the input. */
    private boolean fill() throws IOException {
        int read;
        do {
            read = in.read(buffer, 0, buffer.length);
        } while (read == 0);
        position = 0;
        end = Math.max(read, 0);
        return read > 0;
    }
}
