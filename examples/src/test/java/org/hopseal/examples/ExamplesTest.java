package org.hopseal.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Each guide example runs and prints what the guide says it prints. */
class ExamplesTest {
    interface Main {
        void run() throws Exception;
    }

    static String stdoutOf(Main main) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void node() throws Exception {
        assertThat(stdoutOf(() -> Ex01Node.main(new String[0]))).contains("Node started");
    }

    @Test
    void worker() throws Exception {
        assertThat(stdoutOf(() -> Ex02Worker.main(new String[0]))).isEqualTo("App Received: Hello Hopseal!\n");
    }

    @Test
    void secureChannelWithEntity() throws Exception {
        assertThat(stdoutOf(() -> SecureChannelWithEntity.main(new String[0]))).isEqualTo("App Received: Hello Hopseal!\n");
    }

    @Test
    void secureChannel() throws Exception {
        assertThat(stdoutOf(() -> Ex05SecureChannel.main(new String[0]))).isEqualTo("App Received: Hello Hopseal!\n");
    }

    @Test
    void routing() throws Exception {
        assertThat(stdoutOf(() -> Ex03Routing.main(new String[0]))).isEqualTo("App Received: Hello Hopseal!\n");
    }
}
