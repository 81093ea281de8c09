package org.hopseal.cli;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.ErrorKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts {@code --attr NAME=VALUE}, checking the name and value rules of credentials. */
final class AttributeConverter implements ITypeConverter<Map.Entry<String, String>> {
    /** The attributes given, by name; a name given twice is refused. */
    static Map<String, String> toMap(List<Map.Entry<String, String>> attributes) throws CredentialException {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> a : attributes) {
            if (out.put(a.getKey(), a.getValue()) != null) {
                throw new CredentialException(ErrorKind.INVALID, "attribute '" + a.getKey() + "' is given twice");
            }
        }
        return out;
    }

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
