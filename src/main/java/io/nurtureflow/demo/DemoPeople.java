package io.nurtureflow.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.nurtureflow.lead.LeadRequest;

/**
 * Made-up leads as a B2B form would capture them: varied industries, sizes, titles, countries
 * (with a time zone and, for SMS, a phone number of that country), sources and campaigns. Lead
 * {@code n} is always the same person. Who converts is skewed towards software and SaaS,
 * mid-market sizes and referral or webinar sources, so "who converts" shows a pattern.
 */
final class DemoPeople {

	private static final String[] FIRST_NAMES = { "Ada", "Alan", "Grace", "Linus", "Margaret", "Ken", "Barbara",
			"Dennis", "Frances", "Edsger", "Radia", "Tim", "Hedy", "John", "Karen", "Niklaus", "Sophie", "Yukihiro",
			"Anita", "Guido", "Priya", "Lucas", "Camille", "Pieter", "Aisha", "Mateus", "Ingrid", "Rahul" };

	private static final String[] LAST_NAMES = { "Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Thompson",
			"Liskov", "Ritchie", "Allen", "Dijkstra", "Perlman", "Berners-Lee", "Lamarr", "Backus", "Jones", "Wirth",
			"Wilson", "Matsumoto", "Borg", "van Rossum", "Sharma", "Silva", "Martin", "de Vries", "Khan", "Costa",
			"Larsen", "Iyer" };

	private static final String[] COMPANY_WORDS = { "Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Stark",
			"Wayne", "Acme", "Hooli", "Vandelay", "Tyrell", "Cyberdyne", "Soylent", "Wonka", "Gringotts", "Oceanic" };

	private static final String[] COMPANY_KINDS = { "Analytics", "Systems", "Labs", "Group", "Partners", "Works",
			"Solutions", "Digital", "Industries", "Health", "Finance", "Logistics" };

	private static final Weighted<String> INDUSTRIES = new Weighted<>(Map.of("software", 20, "saas", 18,
			"financial services", 14, "retail", 12, "manufacturing", 14, "healthcare", 12, "education", 10));

	private static final Weighted<String> SIZES = new Weighted<>(Map.of("1-10", 8, "11-50", 18, "51-200", 25,
			"201-500", 20, "501-1000", 12, "1001-5000", 10, "5001+", 7));

	private static final Weighted<String> TITLES = new Weighted<>(Map.of("CEO", 6, "CTO", 5, "VP Sales", 10,
			"Head of Operations", 12, "Director of Marketing", 10, "Marketing Manager", 16, "Operations Manager", 12,
			"Sales Representative", 9, "Analyst", 14, "Founder", 6));

	private static final Weighted<String> COUNTRIES = new Weighted<>(Map.of("US", 30, "GB", 15, "DE", 15, "FR", 10,
			"NL", 8, "BR", 10, "IN", 12));

	private static final Weighted<String> SOURCES = new Weighted<>(Map.of("webinar", 22, "website", 30,
			"referral", 12, "trade-show", 14, "paid-search", 22));

	private static final String[] US_ZONES = { "America/New_York", "America/Chicago", "America/Denver",
			"America/Los_Angeles" };

	private static final Map<String, String> ZONES = Map.of("GB", "Europe/London", "DE", "Europe/Berlin", "FR",
			"Europe/Paris", "NL", "Europe/Amsterdam", "BR", "America/Sao_Paulo", "IN", "Asia/Kolkata");

	/** Fictional or drama numbers that libphonenumber accepts as valid, by country; %s is two digits. */
	private static final Map<String, String> PHONES = Map.of("US", "+1 415 555 26%s", "GB", "+44 20 7946 00%s",
			"DE", "+49 30 90180%s", "FR", "+33 1 99 00 00 %s", "NL", "+31 20 794 00%s", "BR", "+55 11 2345 00%s",
			"IN", "+91 22 4000 00%s");

	private static final String[] INTERESTS = { "automation", "reporting", "integrations", "compliance", "pricing",
			"onboarding" };

	/** Conversion odds relative to the average, per industry, size and source. */
	private static final Map<String, Double> INDUSTRY_ODDS = Map.of("software", 2.2, "saas", 2.2,
			"financial services", 1.0, "healthcare", 0.6, "manufacturing", 0.5, "retail", 0.4, "education", 0.3);

	private static final Map<String, Double> SIZE_ODDS = Map.of("1-10", 0.2, "11-50", 0.7, "51-200", 1.8,
			"201-500", 1.8, "501-1000", 1.4, "1001-5000", 0.6, "5001+", 0.4);

	private static final Map<String, Double> SOURCE_ODDS = Map.of("referral", 2.2, "webinar", 1.8, "website", 0.9,
			"trade-show", 0.7, "paid-search", 0.4);

	private static final double BASE_CONVERSION = 0.07;

	private final long seed;

	DemoPeople(long seed) {
		this.seed = seed;
	}

	/** Lead {@code n}: what it submits and how it will behave. */
	DemoLead lead(int n) {
		long personSeed = this.seed * 65_537L + n;
		Random rng = new Random(personSeed);
		String first = pick(rng, FIRST_NAMES);
		String last = pick(rng, LAST_NAMES);
		String industry = INDUSTRIES.pick(rng);
		String size = SIZES.pick(rng);
		String country = COUNTRIES.pick(rng);
		String zone = "US".equals(country) ? pick(rng, US_ZONES) : ZONES.get(country);
		String source = SOURCES.pick(rng);
		String phone = (rng.nextDouble() < 0.6) ? PHONES.get(country).formatted("%02d".formatted(n % 100)) : null;
		boolean emailConsent = rng.nextDouble() < 0.93;
		boolean smsConsent = phone != null && rng.nextDouble() < 0.45;
		LeadRequest request = new LeadRequest("demo-" + n + "@example.com", phone, first, last,
				pick(rng, COMPANY_WORDS) + " " + pick(rng, COMPANY_KINDS), TITLES.pick(rng), industry, size, country,
				zone, source, campaign(rng, source), interests(rng), new LeadRequest.Consent(emailConsent, smsConsent));
		double affinity = INDUSTRY_ODDS.get(industry) * SIZE_ODDS.get(size) * SOURCE_ODDS.get(source);
		boolean converter = rng.nextDouble() < Math.min(0.7, BASE_CONVERSION * affinity);
		double openRate = converter ? 0.85 : Math.min(0.75, 0.2 + 0.08 * affinity);
		double clickRate = converter ? 0.5 : Math.min(0.45, 0.12 + 0.05 * affinity);
		return new DemoLead(request, new Persona(personSeed, converter, affinity, openRate, clickRate));
	}

	/** Someone a lead named on the phone: the journey made the lead, so only the behaviour is new. */
	Persona referral(String email) {
		long personSeed = this.seed * 65_537L + email.hashCode();
		return new Persona(personSeed, false, 1.0, 0.3, 0.15);
	}

	private static String campaign(Random rng, String source) {
		return switch (source) {
			case "webinar" -> "q1-webinar";
			case "referral" -> "partner-2026";
			case "paid-search" -> "spring-ebook";
			default -> (rng.nextBoolean()) ? "spring-ebook" : null;
		};
	}

	private static List<String> interests(Random rng) {
		List<String> chosen = new ArrayList<>();
		int count = rng.nextInt(3);
		for (int i = 0; i < count; i++) {
			String interest = pick(rng, INTERESTS);
			if (!chosen.contains(interest)) {
				chosen.add(interest);
			}
		}
		return chosen;
	}

	private static String pick(Random rng, String[] values) {
		return values[rng.nextInt(values.length)];
	}

	record DemoLead(LeadRequest request, Persona persona) {
	}

}
