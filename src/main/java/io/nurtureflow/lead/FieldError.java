package io.nurtureflow.lead;

/** One reason a submitted lead was refused, named by the field a client can fix. */
public record FieldError(String field, String message) {
}
