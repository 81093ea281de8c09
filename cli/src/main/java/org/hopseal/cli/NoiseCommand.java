package org.hopseal.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.Vaults;
import org.hopseal.core.channel.noise.CipherState;
import org.hopseal.core.channel.noise.HandshakeState;
import org.hopseal.core.channel.noise.NoiseProtocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hopseal noise}: speaks a Noise protocol over TCP with the framing the Noise specification suggests (a
 * 2-byte big-endian length before every message), for interoperability tests with other implementations.
 */
@Command(name = "noise", mixinStandardHelpOptions = true,
        description = "Runs one Noise handshake and a few transport messages over TCP, for interop testing.",
        footer = {"", "Every handshake and transport message is framed as a 2-byte big-endian length and the bytes.",
                "Transport messages use empty associated data and the implicit Noise counters.",
                "A static private key is read from a file (--static-file) or an environment variable (--static-env),",
                "never from the command line, where other users could read it.", "",
                "Examples:",
                "  hopseal noise --role responder --proto Noise_XX_25519_AESGCM_SHA256 --port 0",
                "  hopseal noise --role responder --proto Noise_XX_25519_AESGCM_SHA256 --port 0 --static-file responder.key",
                "  hopseal noise --role initiator --proto Noise_XX_25519_AESGCM_SHA256 --port 4000 --count 3",
                "  hopseal noise --role initiator --proto Noise_IK_25519_ChaChaPoly_BLAKE2s --port 4000 --remote-static HEX"})
final class NoiseCommand implements Callable<Integer> {
    enum Role { initiator, responder }

    @Option(names = "--role", required = true, description = "initiator or responder")
    Role role;

    @Option(names = "--proto", required = true, description = "protocol name, e.g. Noise_XX_25519_AESGCM_SHA256")
    String proto;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "host to connect to or listen on (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "0", description = "port; 0 lets the responder pick one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--static-file", paramLabel = "PATH",
            description = "file holding this side's static X25519 private key (64 hex digits); random when absent")
    Path staticFile;

    @Option(names = "--static-env", paramLabel = "VAR",
            description = "environment variable holding this side's static X25519 private key (64 hex digits)")
    String staticEnv;

    /** Kept only to refuse it: a key on the command line shows in the process list and the shell's history. */
    @Option(names = "--static", hidden = true, arity = "0..1", fallbackValue = "")
    String staticOnCommandLine;

    @Option(names = "--remote-static", description = "the peer's static public key (hex), for patterns that need it in advance")
    String remoteStaticHex;

    @Option(names = "--prologue", defaultValue = "", description = "prologue (hex)")
    String prologueHex;

    @Option(names = "--payload", defaultValue = "", description = "payload of this side's first handshake message (hex)")
    String payloadHex;

    @Option(names = "--count", defaultValue = "3", description = "transport messages the initiator sends (default ${DEFAULT-VALUE})")
    int count;

    PrintStream out = System.out;
    PrintStream err = System.err;
    /** Where {@code --static-env} looks; tests replace it. */
    Function<String, String> environment = System::getenv;

    @Override
    public Integer call() {
        HexFormat hex = HexFormat.of();
        NoiseProtocol protocol;
        try {
            protocol = NoiseProtocol.parse(proto);
        } catch (IllegalArgumentException e) {
            err.println("hopseal noise: " + e.getMessage());
            return 2;
        }
        byte[] staticKey;
        try {
            staticKey = staticKey();
        } catch (IllegalArgumentException e) {
            err.println("hopseal noise: " + e.getMessage());
            return 2;
        }
        try (Vaults vaults = Vaults.open("software")) {
            AgreementKeyHandle s;
            try {
                s = staticKey != null
                        ? vaults.channel().importAgreementKey(KeyType.X25519, staticKey, Persistence.EPHEMERAL)
                        : vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
            } finally {
                if (staticKey != null) {
                    Arrays.fill(staticKey, (byte) 0);
                }
            }
            HandshakeState.Builder b = role == Role.initiator
                    ? HandshakeState.initiator(protocol, vaults.channel(), vaults.verifier())
                    : HandshakeState.responder(protocol, vaults.channel(), vaults.verifier());
            b.localStatic(s).prologue(hex.parseHex(prologueHex));
            if (remoteStaticHex != null) {
                b.remoteStatic(new PublicKey(KeyType.X25519, hex.parseHex(remoteStaticHex)));
            }
            HandshakeState hs = b.build();
            out.println("LOCAL_STATIC_PUB " + hex.formatHex(vaults.channel().publicKey(s).bytes()));
            try (Socket socket = connect()) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                DataOutputStream os = new DataOutputStream(socket.getOutputStream());
                boolean firstWrite = true;
                while (hs.action() == HandshakeState.Action.WRITE_MESSAGE || hs.action() == HandshakeState.Action.READ_MESSAGE) {
                    if (hs.action() == HandshakeState.Action.WRITE_MESSAGE) {
                        write(os, hs.writeMessage(firstWrite ? hex.parseHex(payloadHex) : new byte[0]));
                        firstWrite = false;
                    } else {
                        byte[] payload = hs.readMessage(read(in));
                        if (payload.length > 0) {
                            out.println("HS_PAYLOAD " + hex.formatHex(payload));
                        }
                    }
                }
                hs.remoteStatic().ifPresent(rs -> out.println("REMOTE_STATIC_PUB " + hex.formatHex(rs.bytes())));
                HandshakeState.TransportKeys keys = hs.split();
                out.println("HANDSHAKE_HASH " + hex.formatHex(keys.handshakeHash()));
                if (role == Role.initiator) {
                    runInitiator(in, os, keys, protocol.pattern().oneWay());
                } else {
                    runResponder(in, os, keys, protocol.pattern().oneWay());
                }
            }
            out.println("DONE");
            return 0;
        } catch (HopsealException | IOException | IllegalArgumentException | IllegalStateException e) {
            err.println("hopseal noise: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The static private key from {@code --static-file} or {@code --static-env}, or null for a random one. A key
     * given on the command line is refused (never echoed).
     */
    private byte[] staticKey() {
        if (staticOnCommandLine != null) {
            throw new IllegalArgumentException("--static no longer takes a private key on the command line, where other"
                    + " users see it in the process list and it stays in the shell's history; put the 64 hex digits in a"
                    + " file readable only by you and pass --static-file PATH, or in an environment variable and pass"
                    + " --static-env VAR");
        }
        if (staticFile != null && staticEnv != null) {
            throw new IllegalArgumentException("give --static-file or --static-env, not both");
        }
        if (staticFile != null) {
            byte[] content;
            try {
                content = Files.readAllBytes(staticFile);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --static-file " + staticFile + ": " + IoErrors.reason(e));
            }
            try {
                return parseKey(new String(content, StandardCharsets.US_ASCII), "the file " + staticFile);
            } finally {
                Arrays.fill(content, (byte) 0);
            }
        }
        if (staticEnv != null) {
            String value = environment.apply(staticEnv);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("--static-env: the environment variable " + staticEnv + " is not set");
            }
            return parseKey(value, "the environment variable " + staticEnv);
        }
        return null;
    }

    private static byte[] parseKey(String text, String where) {
        String key = text.strip();
        if (key.length() != 64 || !key.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException(where + " must hold an X25519 private key as 64 hex digits (32 bytes)");
        }
        return HexFormat.of().parseHex(key);
    }

    private Socket connect() throws IOException {
        if (role == Role.initiator) {
            return new Socket(host, port);
        }
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            out.println("PORT " + server.getLocalPort());
            out.flush();
            return server.accept();
        }
    }

    private void runInitiator(DataInputStream in, DataOutputStream os, HandshakeState.TransportKeys keys, boolean oneWay)
            throws IOException, HopsealException {
        for (int k = 0; k < count; k++) {
            write(os, keys.sender().encryptWithAd(new byte[0], ("ping-" + k).getBytes(StandardCharsets.UTF_8)));
            if (!oneWay) {
                out.println("RECV " + text(keys.receiver(), read(in)));
            }
        }
    }

    private void runResponder(DataInputStream in, DataOutputStream os, HandshakeState.TransportKeys keys, boolean oneWay)
            throws IOException, HopsealException {
        while (true) {
            byte[] frame;
            try {
                frame = read(in);
            } catch (EOFException eof) {
                return;
            }
            String received = text(keys.receiver(), frame);
            out.println("RECV " + received);
            if (!oneWay) {
                write(os, keys.sender().encryptWithAd(new byte[0], ("echo:" + received).getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    private static String text(CipherState receiver, byte[] frame) throws HopsealException {
        return new String(receiver.decryptWithAd(new byte[0], frame), StandardCharsets.UTF_8);
    }

    private static void write(DataOutputStream os, byte[] message) throws IOException {
        os.writeShort(message.length);
        os.write(message);
        os.flush();
    }

    private static byte[] read(DataInputStream in) throws IOException {
        int len = in.readUnsignedShort();
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }
}
