package org.hopseal.cli;

import java.util.AbstractMap;
import java.util.Map;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.error.CredentialException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts {@code --attr NAME=VALUE}, checking the name and value rules of credentials. */
final class AttributeConverter implements ITypeConverter<Map.Entry<String, String>> {
    @Override
    public Map.Entry<String, String> convert(String value) {
        int eq = value.indexOf('=');
        if (eq <= 0) {
            throw new TypeConversionException("an attribute is NAME=VALUE, e.g. role=web; was '" + value + "'");
        }
        String name = value.substring(0, eq);
        String v = value.substring(eq + 1);
        try {
            Credential.checkAttribute(name, v);
        } catch (CredentialException e) {
            throw new TypeConversionException(e.getMessage());
        }
        return new AbstractMap.SimpleImmutableEntry<>(name, v);
    }
}
