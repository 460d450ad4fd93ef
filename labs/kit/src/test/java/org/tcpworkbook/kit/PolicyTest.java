package org.tcpworkbook.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Policy: how a peer shapes its writes")
class PolicyTest {
    private static final byte[] HELLO = Wire.line("你好");

    @Test
    @DisplayName("a normal peer writes each message whole, one write each")
    void normalWritesWholeMessages() {
        List<byte[]> writes = Wire.plan(List.of(HELLO, Wire.line("a")), Policy.NORMAL);
        assertThat(writes).containsExactly(HELLO, Wire.line("a"));
    }

    @Test
    @DisplayName("fragment(2) cuts through multi-byte UTF-8 characters")
    void fragmentCutsThroughCharacters() {
        assertThat(HELLO).hasSize(7);
        List<byte[]> writes = Wire.plan(List.of(HELLO), Policy.fragment(2));
        assertThat(writes).extracting(w -> Transcript.hex(w, 0, w.length))
                .containsExactly("e4 bd", "a0 e5", "a5 bd", "0a");
    }

    @Test
    @DisplayName("coalesce puts several messages into one write, which fragment may then cut")
    void coalesceJoinsMessages() {
        List<byte[]> one = Wire.plan(List.of(Wire.line("a"), Wire.line("b")), Policy.COALESCE);
        assertThat(one).hasSize(1);
        assertThat(new String(one.get(0), StandardCharsets.UTF_8)).isEqualTo("a\nb\n");
        List<byte[]> cut = Wire.plan(List.of(Wire.line("a"), Wire.line("b")), Policy.COALESCE.and(Policy.fragment(3)));
        assertThat(cut).extracting(w -> new String(w, StandardCharsets.UTF_8)).containsExactly("a\nb", "\n");
    }

    @Test
    @DisplayName("and() keeps every setting either side changed")
    void andCombines() {
        Policy p = Policy.fragment(1).and(Policy.delay(Duration.ofMillis(5))).and(Policy.resetAfter(2));
        assertThat(p).isEqualTo(new Policy(1, false, Duration.ofMillis(5), Policy.Ending.RESET, 2));
        assertThat(p).hasToString("fragment(1) delay(5 ms) resetAfter(2)");
        assertThat(Policy.NORMAL).hasToString("normal");
        assertThat(Policy.STALL.and(Policy.COALESCE).ending()).isEqualTo(Policy.Ending.STALL);
    }

    @Test
    @DisplayName("rejects settings that make no sense")
    void rejectsNonsense() {
        assertThatThrownBy(() -> Policy.fragment(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Policy.delay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Policy.closeAfter(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("the transcript shows bytes as escaped text, with hex when they are not plain UTF-8")
    void transcriptDescribesBytes() {
        assertThat(Transcript.describe(HELLO)).isEqualTo("7 bytes \"你好\\n\"");
        assertThat(Transcript.describe(HELLO, 0, 5))
                .isEqualTo("5 bytes \"你\uFFFD\" [e4 bd a0 e5 a5] (not valid UTF-8)");
        assertThat(Transcript.describe(new byte[] {'a', '\r', '\n'}, 0, 3))
                .isEqualTo("3 bytes \"a\\r\\n\" [61 0d 0a]");
    }
}
