package dev.authoritypack.keycloak.auth0import;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedLineReaderTest {

    private static final String TOO_LONG = "<too long>";

    /** The lines of {@code input} as the reader gives them, {@link #TOO_LONG} for a line over the bound. */
    private static List<String> lines(Reader input, int maxLine, int bufferSize) throws IOException {
        BoundedLineReader reader = new BoundedLineReader(input, maxLine, bufferSize);
        List<String> lines = new ArrayList<>();
        for (BoundedLineReader.Line line = reader.next(); line != null; line = reader.next()) {
            lines.add(line.tooLong() ? TOO_LONG : line.text());
        }
        assertNull(reader.next(), "the end stays the end");
        return lines;
    }

    private static List<String> lines(String input, int maxLine) throws IOException {
        List<String> lines = lines(new StringReader(input), maxLine, 8192);
        for (int bufferSize : new int[]{1, 2, 3, 5}) {
            assertEquals(lines, lines(new StringReader(input), maxLine, bufferSize), "the same lines with a buffer of " + bufferSize);
            assertEquals(lines, lines(new Trickle(input), maxLine, bufferSize), "the same lines when the input comes a character at a time");
        }
        return lines;
    }

    @Test
    void linesEndAtNewlineWithOrWithoutCarriageReturn() throws IOException {
        assertEquals(List.of("a", "b", "c"), lines("a\nb\r\nc\n", 10));
    }

    @Test
    void aLastLineWithoutNewlineIsALine() throws IOException {
        assertEquals(List.of("a", "b"), lines("a\nb", 10));
    }

    @Test
    void emptyLinesAreLinesButTheEndIsNot() throws IOException {
        assertEquals(List.of("", "a", "", ""), lines("\na\n\n\r\n", 10));
        assertEquals(List.of(), lines("", 10));
        assertEquals(List.of(""), lines("\n", 10));
    }

    @Test
    void onlyOneCarriageReturnIsDroppedAndOnlyBeforeNewline() throws IOException {
        assertEquals(List.of("a\r", "b\rc"), lines("a\r\r\nb\rc\n", 10));
        assertEquals(List.of(""), lines("\r", 10), "a lone \\r at the end is an empty line");
    }

    @Test
    void aLineOfExactlyTheBoundIsKept() throws IOException {
        assertEquals(List.of("12345", "x"), lines("12345\nx\n", 5));
    }

    @Test
    void oneCharacterMoreIsTooLongAndTheNextLineIsRead() throws IOException {
        assertEquals(List.of(TOO_LONG, "x"), lines("123456\nx\n", 5));
        assertEquals(List.of("ok", TOO_LONG, "y"), lines("ok\n" + "z".repeat(100) + "\ny", 5));
    }

    @Test
    void theCarriageReturnCountsForTheBound() throws IOException {
        assertEquals(List.of(TOO_LONG, "x"), lines("12345\r\nx", 5));
        assertEquals(List.of("1234"), lines("1234\r\n", 5));
    }

    @Test
    void aTooLongLastLineWithoutNewlineIsReported() throws IOException {
        assertEquals(List.of("a", TOO_LONG), lines("a\n" + "b".repeat(20), 5));
    }

    @Test
    void theUploadBoundIsOneMebiCharacter() throws IOException {
        int bound = 1 << 20;
        String exactly = "x".repeat(bound);
        List<String> read = lines(new StringReader(exactly + "\n" + exactly + "y\n{}\n"), bound, 8192);
        assertEquals(3, read.size());
        assertEquals(bound, read.get(0).length());
        assertEquals(TOO_LONG, read.get(1));
        assertEquals("{}", read.get(2));
    }

    @Test
    void aLongLineIsNotKeptInMemory() throws IOException {
        // 64 MiB of one line, never held: the input is generated as it is read
        long length = 64L << 20;
        Reader endless = new Reader() {
            private long left = length;

            @Override
            public int read(char[] buffer, int offset, int count) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(count, left);
                Arrays.fill(buffer, offset, offset + n, 'x');
                left -= n;
                return n;
            }

            @Override
            public void close() {
            }
        };
        long before = usedMemory();
        BoundedLineReader reader = new BoundedLineReader(endless, 1 << 20);
        BoundedLineReader.Line line = reader.next();
        assertTrue(line.tooLong());
        assertNull(reader.next());
        assertTrue(usedMemory() - before < (32L << 20), "far less than the line's 128 MB of chars");
    }

    private static long usedMemory() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @Test
    void aBrokenUploadIsAnIOException() throws IOException {
        Reader broken = new Reader() {
            private boolean first = true;

            @Override
            public int read(char[] buffer, int offset, int count) throws IOException {
                if (first) {
                    first = false;
                    buffer[offset] = 'a';
                    buffer[offset + 1] = '\n';
                    buffer[offset + 2] = 'b';
                    return 3;
                }
                throw new IOException("connection reset");
            }

            @Override
            public void close() {
            }
        };
        BoundedLineReader reader = new BoundedLineReader(broken, 10);
        assertEquals("a", reader.next().text());
        assertEquals("connection reset", assertThrows(IOException.class, reader::next).getMessage());
    }

    /** A reader that gives one character per read, as a slow upload can. */
    private static final class Trickle extends Reader {
        private final String text;
        private int next;

        Trickle(String text) {
            this.text = text;
        }

        @Override
        public int read(char[] buffer, int offset, int count) {
            if (next == text.length()) {
                return -1;
            }
            buffer[offset] = text.charAt(next++);
            return 1;
        }

        @Override
        public void close() {
        }
    }
}
