package dev.itembank.api;

import java.util.List;
import java.util.Map;

/**
 * Lists of names in request bodies ({@code heldOutModels}, {@code scenarios}, {@code exclude}): JSON lets an element
 * be null, which an immutable copy refuses with a NullPointerException (a 500 before this). Here it is a 422 naming
 * the element.
 */
public final class RequestLists {

    private RequestLists() {
    }

    /** An immutable copy of {@code values} (empty when absent); a null or blank element is a 422 naming it. */
    public static List<String> names(List<String> values, String field) {
        if (values == null) {
            return List.of();
        }
        for (int k = 0; k < values.size(); k++) {
            String value = values.get(k);
            if (value == null || value.isBlank()) {
                String where = field + "[" + k + "]";
                throw ApiException.invalid(where + " is " + (value == null ? "null" : "blank") + ": " + field
                        + " takes names", Map.of("field", where));
            }
        }
        return List.copyOf(values);
    }
}
