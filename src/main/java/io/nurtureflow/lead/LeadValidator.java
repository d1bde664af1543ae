package io.nurtureflow.lead;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.springframework.stereotype.Component;

/**
 * Turns a {@link LeadRequest} into a {@link NewLead} or refuses it with every reason at once.
 * The API and the CSV import both come through here, so a lead is judged the same way
 * whichever door it used.
 */
@Component
public class LeadValidator {

	/** The region ids this runtime knows; {@code ZoneId.getAvailableZoneIds()} copies them on every call. */
	private static final Set<String> ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());

	private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

	/** The columns' lengths: {@code lead.email} and {@code lead_interest.interest}. */
	private static final int EMAIL_LENGTH = 254;

	private static final int INTEREST_LENGTH = 100;

	private final Validator validator;

	private final PhoneNumberUtil phoneNumbers = PhoneNumberUtil.getInstance();

	private final ZoneId defaultTimeZone;

	LeadValidator(Validator validator, LeadProperties properties) {
		this.validator = validator;
		this.defaultTimeZone = properties.defaultTimeZone();
	}

	public NewLead validate(LeadRequest submitted) {
		LeadRequest request = submitted.trimmed();
		List<FieldError> errors = new ArrayList<>();
		this.validator.validate(request)
			.stream()
			.sorted(Comparator.comparing((ConstraintViolation<LeadRequest> v) -> v.getPropertyPath().toString()))
			.forEach((v) -> errors.add(new FieldError(fieldName(v), v.getMessage())));
		textFields(request).filter((field) -> hasControlCharacter(field.value()))
			.forEach((field) -> errors.add(new FieldError(field.name(), "must not contain control characters")));

		String country = request.country();
		if (country != null) {
			country = country.toUpperCase(Locale.ROOT);
			if (!COUNTRIES.contains(country)) {
				errors.add(new FieldError("country", "must be an ISO 3166-1 alpha-2 country code such as US or DE"));
			}
		}
		String phone = normalisePhone(request.phone(), country, errors);
		ZoneId zone = resolveZone(request.timeZone(), errors);
		CompanySize size = resolveSize(request.companySize(), errors);
		if (!errors.isEmpty()) {
			throw new InvalidLeadException(dedupe(errors));
		}
		// lower case may lengthen a text (İ becomes i and a combining dot) past what was checked
		String email = request.email().toLowerCase(Locale.ROOT);
		List<String> interests = interests(request.interests());
		if (email.length() > EMAIL_LENGTH) {
			errors.add(new FieldError("email", "is longer than " + EMAIL_LENGTH + " characters in lower case"));
		}
		if (interests.stream().anyMatch((interest) -> interest.length() > INTEREST_LENGTH)) {
			errors.add(new FieldError("interests", "each must be at most " + INTEREST_LENGTH
					+ " characters in lower case"));
		}
		if (!errors.isEmpty()) {
			throw new InvalidLeadException(errors);
		}
		LeadRequest.Consent consent = (request.consent() != null) ? request.consent()
				: new LeadRequest.Consent(null, null);
		return new NewLead(email, phone, request.firstName(), request.lastName(),
				request.company(), request.title(), request.industry(), size, country, zone, request.source(),
				request.campaign(), interests, Boolean.TRUE.equals(consent.email()),
				Boolean.TRUE.equals(consent.sms()));
	}

	private String normalisePhone(String raw, String country, List<FieldError> errors) {
		String phone = raw;
		if (phone == null) {
			return null;
		}
		try {
			PhoneNumber number = this.phoneNumbers.parse(phone, (country != null) ? country : "ZZ");
			if (this.phoneNumbers.isValidNumber(number)) {
				return this.phoneNumbers.format(number, PhoneNumberFormat.E164);
			}
			errors.add(new FieldError("phone", "is not a valid phone number"));
		}
		catch (NumberParseException ex) {
			errors.add(new FieldError("phone", (country != null) ? "is not a phone number"
					: "needs an international prefix (+) or a country to read it"));
		}
		return null;
	}

	private ZoneId resolveZone(String raw, List<FieldError> errors) {
		String zone = raw;
		if (zone == null) {
			return this.defaultTimeZone;
		}
		if (!ZONES.contains(zone)) {
			errors.add(new FieldError("timeZone", "must be an IANA time zone such as Europe/Berlin"));
			return null;
		}
		try {
			return ZoneId.of(zone);
		}
		catch (DateTimeException ex) {
			errors.add(new FieldError("timeZone", "must be an IANA time zone such as Europe/Berlin"));
			return null;
		}
	}

	private CompanySize resolveSize(String raw, List<FieldError> errors) {
		String size = raw;
		if (size == null) {
			return null;
		}
		return CompanySize.fromLabel(size).orElseGet(() -> {
			errors.add(new FieldError("companySize", "must be one of " + String.join(", ", CompanySize.labels())));
			return null;
		});
	}

	private static List<String> interests(List<String> interests) {
		if (interests == null) {
			return List.of();
		}
		Set<String> unique = new LinkedHashSet<>();
		interests.stream().map((i) -> i.toLowerCase(Locale.ROOT)).forEach(unique::add);
		return List.copyOf(unique);
	}

	private static Stream<NamedText> textFields(LeadRequest r) {
		Stream<NamedText> fields = Stream.of(new NamedText("email", r.email()), new NamedText("phone", r.phone()),
				new NamedText("firstName", r.firstName()), new NamedText("lastName", r.lastName()),
				new NamedText("company", r.company()), new NamedText("title", r.title()),
				new NamedText("industry", r.industry()), new NamedText("companySize", r.companySize()),
				new NamedText("country", r.country()), new NamedText("timeZone", r.timeZone()),
				new NamedText("source", r.source()), new NamedText("campaign", r.campaign()));
		List<String> interests = (r.interests() != null) ? r.interests() : List.of();
		Stream<NamedText> interestFields = IntStream.range(0, interests.size())
			.mapToObj((i) -> new NamedText("interests[" + i + "]", interests.get(i)));
		return Stream.concat(fields, interestFields).filter((field) -> field.value() != null);
	}

	private static boolean hasControlCharacter(String value) {
		return value.codePoints().anyMatch(Character::isISOControl);
	}

	private static List<FieldError> dedupe(List<FieldError> errors) {
		return List.copyOf(new LinkedHashSet<>(errors));
	}

	/** {@code interests[1]} rather than Bean Validation's {@code interests[1].<list element>}. */
	private static String fieldName(ConstraintViolation<LeadRequest> violation) {
		return violation.getPropertyPath().toString().replace(".<list element>", "");
	}

	private record NamedText(String name, String value) {
	}

}
