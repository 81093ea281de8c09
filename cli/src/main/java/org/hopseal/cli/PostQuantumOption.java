package org.hopseal.cli;

import java.util.Locale;
import org.hopseal.api.identity.PostQuantum;
import org.hopseal.api.identity.SecureChannelOptions;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The {@code --pq off|preferred|required} option: whether channels add ML-KEM-768 (see docs/post-quantum.md). */
final class PostQuantumOption {
    @Option(names = "--pq", defaultValue = "preferred", converter = PolicyConverter.class, paramLabel = "off|preferred|required",
            description = "hybrid post-quantum channels (X25519 + ML-KEM-768): 'preferred' (the default) where both ends can,"
                    + " 'required' only, 'off' never")
    PostQuantum policy;

    SecureChannelOptions apply(SecureChannelOptions options) {
        return options.withPostQuantum(policy);
    }

    static final class PolicyConverter implements ITypeConverter<PostQuantum> {
        @Override
        public PostQuantum convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "off" -> PostQuantum.OFF;
                case "preferred" -> PostQuantum.PREFERRED;
                case "required" -> PostQuantum.REQUIRED;
                default -> throw new TypeConversionException("'" + value + "' is not one of off, preferred, required");
            };
        }
    }
}
