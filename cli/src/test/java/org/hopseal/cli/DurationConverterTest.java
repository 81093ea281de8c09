package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsTheFormsOperatorsWrite() {
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(converter.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(converter.convert("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(converter.convert("366d")).isEqualTo(Duration.ofHours(366 * 24));
        assertThat(converter.convert("0")).isZero();
    }

    @Test
    void refusesAnythingElseClearly() {
        for (String bad : new String[] {"", "10", "-1s", "1w", "1D", "ten seconds", "99999999999s"}) {
            assertThatThrownBy(() -> converter.convert(bad)).as(bad).isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining("is not a duration");
        }
    }
}
