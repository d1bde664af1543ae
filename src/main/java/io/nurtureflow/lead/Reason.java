package io.nurtureflow.lead;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A reason a client gives for a change (a disqualification, a churn, a suppression): kept with the
 * change and shown in Cockpit and the journeys' history, so at most 500 characters and no control
 * characters, which would forge lines there. Each rule is reported on its own, as it was written
 * out beside every such parameter.
 */
@Documented
@Constraint(validatedBy = {})
@Size(max = 500)
@Pattern(regexp = "\\P{Cc}*", message = "must not contain control characters")
@Target({ ElementType.PARAMETER, ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface Reason {

	String message() default "must be a reason of at most 500 characters without control characters";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

}
