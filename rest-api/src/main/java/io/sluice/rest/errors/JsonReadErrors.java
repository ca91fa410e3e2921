package io.sluice.rest.errors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.stream.Collectors;

/**
 * Says what is wrong with an unreadable JSON body and where (line, column and field path), without
 * Java class names. Stateless.
 */
final class JsonReadErrors {

    private JsonReadErrors() {}

    static String describe(Throwable failure) {
        JsonProcessingException json = find(failure, JsonProcessingException.class);
        if (json == null) {
            return "Request body is missing or cannot be read";
        }
        JsonParseException syntax = find(failure, JsonParseException.class);
        String field = json instanceof JsonMappingException mapping ? path(mapping) : "";
        String fieldText = field.isEmpty() ? "" : " in field '" + field + "'";
        if (syntax != null) {
            return "Malformed JSON in request body" + where(syntax) + fieldText + ": "
                    + firstLine(syntax.getOriginalMessage());
        }
        String where = where(json);
        if (!(json instanceof JsonMappingException)) {
            return "Malformed JSON in request body" + where + ": " + firstLine(json.getOriginalMessage());
        }
        if (json instanceof MismatchedInputException
                && json.getOriginalMessage() != null
                && json.getOriginalMessage().contains("end-of-input")) {
            return "Malformed JSON in request body" + where + fieldText + ": unexpected end of input";
        }
        if (json instanceof InvalidFormatException invalid) {
            return "Invalid value " + quoted(invalid.getValue()) + fieldText + where + ": expected "
                    + typeName(invalid.getTargetType());
        }
        if (json instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            return "Wrong JSON type" + fieldText + where + ": expected " + typeName(mismatched.getTargetType());
        }
        return "Invalid JSON request body" + fieldText + where;
    }

    private static String where(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    static String typeName(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String quoted(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        int marker = line.indexOf(" (start marker at");
        return marker < 0 ? line : line.substring(0, marker);
    }

    static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
