package org.tcpworkbook.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The given LineReader, at every boundary of the protocol's line (run by the kit module's build). */
@DisplayName("LineReader: the chat protocol's bounded line")
class LineReaderTest {
    static final int MAX = ChatProtocol.MAX_LINE_BYTES;

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static LineReader reader(byte[]... pieces) {
        return new LineReader(new Pieces(pieces));
    }

    static List<String> all(LineReader reader) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
        }
        return lines;
    }

    /** A stream that returns each piece in a read of its own, as a socket may. */
    static final class Pieces extends InputStream {
        final Deque<byte[]> pieces = new ArrayDeque<>();
        long read;
        int reads;

        Pieces(byte[]... pieces) {
            for (byte[] piece : pieces) {
                this.pieces.add(piece);
            }
        }

        @Override
        public int read() {
            throw new AssertionError("LineReader reads into its buffer, never one byte per call");
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            reads++;
            byte[] piece = pieces.poll();
            if (piece == null) {
                return -1;
            }
            if (piece.length == 0) {
                throw new SocketTimeoutException("Read timed out");   // an empty piece: a read timeout
            }
            int n = Math.min(len, piece.length);
            System.arraycopy(piece, 0, b, off, n);
            if (n < piece.length) {
                pieces.push(Arrays.copyOfRange(piece, n, piece.length));
            }
            read += n;
            return n;
        }
    }

    @Test
    @DisplayName("reads lines ending in \\n, an empty line included, and null at the end")
    void lines() throws IOException {
        assertThat(all(reader(utf8("hello\n\n你好\n")))).containsExactly("hello", "", "你好");
        assertThat(reader().readLine()).isNull();
    }

    @Test
    @DisplayName("drops one \\r right before \\n; a lone \\r elsewhere is part of the message")
    void carriageReturns() throws IOException {
        assertThat(all(reader(utf8("crlf\r\na\rb\n\r\n\rstart\nend\r\r\n"))))
                .containsExactly("crlf", "a\rb", "", "\rstart", "end\r");
        assertThat(all(reader(utf8("a\r"), utf8("\nb\r"), utf8("c\n")))).as("\\r and what follows in separate reads")
                .containsExactly("a", "b\rc");
    }

    @Test
    @DisplayName("accepts exactly MAX_LINE_BYTES bytes, also with \\r\\n; one more is refused at once")
    void limit() throws IOException {
        byte[] max = new byte[MAX];
        Arrays.fill(max, (byte) 'x');
        assertThat(reader(max, utf8("\n")).readLine()).hasSize(MAX);
        assertThat(reader(max, utf8("\r\n")).readLine()).as("the \\r of \\r\\n is the line end, not the message")
                .hasSize(MAX);
        byte[] longer = Arrays.copyOf(max, MAX + 1);
        longer[MAX] = 'x';
        Pieces stream = new Pieces(longer);        // no line end ever comes, nor the end of the stream
        stream.pieces.add(new byte[1 << 20]);      // a megabyte more that must not be read
        LineReader reader = new LineReader(stream);
        assertThatThrownBy(reader::readLine).isInstanceOf(BadLineException.class)
                .satisfies(e -> assertThat(((BadLineException) e).errorLine()).isEqualTo(ChatProtocol.LINE_TOO_LONG))
                .satisfies(e -> assertThat(((BadLineException) e).tooLong()).isTrue());
        assertThat(stream.read).as("bytes read to find the line too long").isEqualTo(MAX + 1);
        assertThatThrownBy(reader::readLine).as("the next call: the stream is in the middle of the line")
                .isInstanceOf(BadLineException.class);
        assertThat(stream.read).isEqualTo(MAX + 1);
        byte[] withCr = Arrays.copyOf(max, MAX + 2);
        withCr[MAX] = '\r';
        withCr[MAX + 1] = 'x';
        assertThatThrownBy(() -> reader(withCr).readLine()).as("a lone \\r past the limit counts")
                .isInstanceOf(BadLineException.class);
    }

    @Test
    @DisplayName("counts bytes, not characters: a character straddling the limit makes the line too long")
    void multiByteAtTheLimit() throws IOException {
        String fits = "你".repeat(MAX / 3) + "a".repeat(MAX % 3);     // 4095 + 1 bytes
        assertThat(utf8(fits)).hasSize(MAX);
        assertThat(reader(utf8(fits + "\n")).readLine()).isEqualTo(fits);
        String straddles = "你".repeat(MAX / 3 + 1);                   // its last 3 bytes cross the limit
        assertThatThrownBy(() -> reader(utf8(straddles + "\n")).readLine()).isInstanceOf(BadLineException.class);
        String chars = "你".repeat(MAX / 3) + "ab";                    // 1367 characters, 4097 bytes
        assertThatThrownBy(() -> reader(utf8(chars + "\n")).readLine()).isInstanceOf(BadLineException.class);
    }

    @Test
    @DisplayName("reassembles characters and lines split across reads, one byte at a time")
    void splitReads() throws IOException {
        byte[] bytes = utf8("你好，世界\n第二行\r\n");
        byte[][] ones = new byte[bytes.length][];
        for (int i = 0; i < bytes.length; i++) {
            ones[i] = new byte[] {bytes[i]};
        }
        assertThat(all(reader(ones))).containsExactly("你好，世界", "第二行");
    }

    @Test
    @DisplayName("loses nothing when a read times out in the middle of a line")
    void timeoutMidLine() throws IOException {
        LineReader reader = reader(utf8("hel"), new byte[0], utf8("lo\r"), new byte[0], utf8("\n"));
        assertThatThrownBy(reader::readLine).isInstanceOf(SocketTimeoutException.class);
        assertThatThrownBy(reader::readLine).isInstanceOf(SocketTimeoutException.class);
        assertThat(reader.readLine()).isEqualTo("hello");
        assertThat(reader.readLine()).isNull();
    }

    @Test
    @DisplayName("refuses a line that is not UTF-8, and reads the next one")
    void malformed() throws IOException {
        byte[] gbk = {(byte) 0xC4, (byte) 0xE3, '\n'};                // 你 in GBK: not UTF-8
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(gbk);
        all.writeBytes(utf8("ok\n"));
        all.writeBytes(new byte[] {(byte) 0xE4, (byte) 0xBD, '\n'});  // 你 cut short
        LineReader reader = new LineReader(new ByteArrayInputStream(all.toByteArray()));
        assertThatThrownBy(reader::readLine).isInstanceOf(BadLineException.class)
                .satisfies(e -> assertThat(((BadLineException) e).errorLine()).isEqualTo(ChatProtocol.NOT_UTF8));
        assertThat(reader.readLine()).isEqualTo("ok");
        assertThatThrownBy(reader::readLine).isInstanceOf(BadLineException.class);
        assertThat(reader.readLine()).isNull();
    }

    @Test
    @DisplayName("the end of the stream in the middle of a line is an EOFException, never a message")
    void endMidLine() throws IOException {
        LineReader reader = reader(utf8("whole\npart"));
        assertThat(reader.readLine()).isEqualTo("whole");
        assertThatThrownBy(reader::readLine).isInstanceOf(EOFException.class).hasMessageContaining("4 bytes");
        assertThat(reader.readLine()).isNull();
        assertThatThrownBy(() -> reader(utf8("\r")).readLine()).as("a lone \\r, then the end")
                .isInstanceOf(EOFException.class).hasMessageContaining("1 byte");
    }

    @Test
    @DisplayName("reads in blocks, not a byte per call, and rejects a limit below 1")
    void blocksAndArguments() throws IOException {
        Pieces stream = new Pieces(utf8("a\nb\nc\n".repeat(100)));
        LineReader reader = new LineReader(stream);
        assertThat(all(reader)).hasSize(300);
        assertThat(stream.reads).isLessThanOrEqualTo(2);
        assertThatThrownBy(() -> new LineReader(stream, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new LineReader(new ByteArrayInputStream(utf8("abc\n")), 3).readLine()).isEqualTo("abc");
        assertThatThrownBy(() -> new LineReader(new ByteArrayInputStream(utf8("abcd\n")), 3).readLine())
                .isInstanceOf(BadLineException.class).hasMessageContaining("3 bytes");
    }
}
