package org.tcpworkbook.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The checkers run on a platform unlike the student's machine, so that code relying on a platform
 * default fails here: the argLine of every checker (labs/pom.xml, platform.args) sets them.
 */
class PlatformTest {
    @Test
    void the_line_separator_is_the_one_of_windows() {
        assertThat(System.lineSeparator()).as("System.lineSeparator()").isEqualTo("\r\n");
    }

    @Test
    void the_default_locale_is_turkish_where_i_is_not_the_lower_case_of_I() {
        assertThat("QUIT".toLowerCase()).as("\"QUIT\".toLowerCase() without a locale").isEqualTo("qu\u0131t");
    }

    @Test
    void the_leak_check_records_every_socket_through_its_agent() {
        assertThat(LeakCheck.tracked())
                .as("the kit's Java agent is loaded (-javaagent in the argLine), so no collection can hide a leak")
                .isTrue();
    }

    @Test
    void the_default_charset_is_not_utf_8() {
        assertThat(Charset.defaultCharset()).isEqualTo(StandardCharsets.ISO_8859_1);
    }
}
