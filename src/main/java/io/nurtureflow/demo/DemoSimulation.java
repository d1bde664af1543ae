package io.nurtureflow.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import io.nurtureflow.demo.DemoEngine.LedgerTouch;
import io.nurtureflow.demo.DemoEngine.OpenTask;
import io.nurtureflow.demo.DemoScript.Reaction;
import io.nurtureflow.engagement.Engagement;
import io.nurtureflow.engagement.EngagementRecorder;
import io.nurtureflow.engagement.EngagementType;
import io.nurtureflow.lead.InvalidLeadException;
import io.nurtureflow.lead.LeadConsent;
import io.nurtureflow.lead.LeadConsent.ConsentChannel;
import io.nurtureflow.lead.LeadIntake;
import io.nurtureflow.lead.LeadValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weeks of leads, run through the real journeys on the engine clock. Time jumps from one thing
 * to the next (an arrival, a rep finishing a task, a lead clicking, a timer falling due), at most
 * an hour at a time; at each stop the due jobs run and the new tasks and touches get planned
 * reactions.
 */
final class DemoSimulation {

	private static final Logger log = LoggerFactory.getLogger(DemoSimulation.class);

	private static final Duration STEP = Duration.ofHours(1);

	private final DemoEngine engine;

	private final DemoScript script;

	private final DemoPeople people;

	private final LeadValidator validator;

	private final LeadIntake intake;

	private final EngagementRecorder engagement;

	private final LeadConsent consent;

	private final Agenda agenda = new Agenda();

	private final Map<UUID, Persona> personas = new HashMap<>();

	private final Set<String> plannedTasks = new HashSet<>();

	private Instant start;

	private Instant end;

	private Instant now;

	private Instant lastTaskScan;

	private long lastTouch;

	private int refused;

	private int failedSteps;

	DemoSimulation(DemoEngine engine, DemoScript script, DemoPeople people, LeadValidator validator,
			LeadIntake intake, EngagementRecorder engagement, LeadConsent consent) {
		this.engine = engine;
		this.script = script;
		this.people = people;
		this.validator = validator;
		this.intake = intake;
		this.engagement = engagement;
		this.consent = consent;
	}

	/** Lets {@code leads} leads arrive between {@code start} and {@code end} and lives through it all. */
	void run(Instant start, Instant end, int leads, long seed) {
		this.start = start;
		this.end = end;
		this.now = start;
		this.lastTaskScan = start;
		List<Instant> arrivals = DemoScript.arrivals(start, end, leads, new Random(seed));
		for (int i = 0; i < arrivals.size(); i++) {
			int n = i + 1;
			later(arrivals.get(i), () -> capture(n));
		}
		this.engine.clock(start);
		Instant nextJob = this.engine.nextJobDue(start);
		long weeks = (Duration.between(start, end).toDays() + 6) / 7;
		long week = 0;
		while (true) {
			Instant next = earliest(this.agenda.next(), nextJob, this.now.plus(STEP));
			if (next.isAfter(end)) {
				break;
			}
			this.now = next;
			this.engine.clock(next);
			int acted = this.agenda.runUntil(next);
			int jobs = this.engine.runDueJobs();
			if (acted + jobs > 0 || next.equals(nextJob)) {
				observe();
				nextJob = this.engine.nextJobDue(next);
			}
			if (Duration.between(start, next).toDays() / 7 > week) {
				week++;
				log.info("Demo data: week {} of {} simulated, {} leads so far", week, weeks, this.personas.size());
			}
		}
		this.now = end;
		this.engine.clock(end);
		this.engine.runDueJobs();
	}

	int refused() {
		return this.refused;
	}

	int failedSteps() {
		return this.failedSteps;
	}

	private void capture(int n) {
		DemoPeople.DemoLead lead = this.people.lead(n);
		try {
			UUID id = this.intake.submit(this.validator.validate(lead.request()), "demo").lead().id();
			this.personas.put(id, lead.persona());
			if (lead.persona().converter()) {
				later(this.script.conversion(this.now, lead.persona()), () -> convert(id, n));
			}
		}
		catch (InvalidLeadException ex) {
			this.refused++;
			log.warn("Demo lead {} was refused: {}", n, ex.errors());
		}
	}

	/** A buyer signs; only a lead still in its journey takes the real exit to the customer journey. */
	private void convert(UUID lead, int n) {
		if (this.engine.inLeadJourney(lead)) {
			this.engagement.record(new Engagement(lead, null, EngagementType.CONVERTED, null, "order DEMO-" + (1000 + n),
					this.now, "demo:converted:" + lead));
		}
	}

	/** Plans what people do about the tasks and touches that appeared since the last look. */
	private void observe() {
		for (OpenTask task : this.engine.newTasks(this.lastTaskScan.minusSeconds(1), this.plannedTasks)) {
			this.plannedTasks.add(task.id());
			this.script.task(task.key(), task.created(), task.due(), persona(task.lead()), progress())
				.ifPresent((step) -> later(step.at(), () -> this.engine.complete(task.id(), step.form())));
		}
		this.lastTaskScan = this.now;
		for (LedgerTouch touch : this.engine.touchesAfter(this.lastTouch)) {
			this.lastTouch = touch.id();
			if (touch.reachedTheLead()) {
				for (Reaction reaction : this.script.react(touch.channel(), touch.content(), touch.at(),
						persona(touch.lead()))) {
					later(reaction.at(), () -> engage(touch, reaction));
				}
			}
		}
	}

	private void engage(LedgerTouch touch, Reaction reaction) {
		Long touchId = reaction.answersTouch() ? touch.id() : null;
		if (reaction.type() == EngagementType.UNSUBSCRIBED) {
			// as the unsubscribe link does it: consent first, then the event the journeys hear
			if (this.consent.set(touch.lead(), ConsentChannel.EMAIL, false, "unsubscribe link")) {
				this.engagement.record(new Engagement(touch.lead(), touchId, EngagementType.UNSUBSCRIBED, "EMAIL", null,
						this.now, "unsubscribe:" + touch.id()));
			}
			return;
		}
		String dedupe = (reaction.type() == EngagementType.OPENED) ? "open:" + touch.id() : null;
		this.engagement.record(new Engagement(touch.lead(), touchId, reaction.type(), touch.channel(),
				reaction.detail(), this.now, dedupe));
	}

	private Persona persona(UUID lead) {
		return this.personas.computeIfAbsent(lead, (id) -> this.people.referral(this.engine.email(id)));
	}

	/** Plans an action; one that fails is logged and counted, and the weeks go on. */
	private void later(Instant at, Runnable action) {
		if (!at.isBefore(this.end)) {
			return;
		}
		this.agenda.at(at.isBefore(this.now) ? this.now : at, () -> {
			try {
				action.run();
			}
			catch (RuntimeException ex) {
				this.failedSteps++;
				log.warn("A demo step at {} failed: {}", this.now, ex.toString());
				log.debug("The failed demo step", ex);
			}
		});
	}

	private double progress() {
		return (double) Duration.between(this.start, this.now).toSeconds()
				/ Math.max(1, Duration.between(this.start, this.end).toSeconds());
	}

	private static Instant earliest(Instant... candidates) {
		Instant earliest = null;
		for (Instant candidate : candidates) {
			if (candidate != null && (earliest == null || candidate.isBefore(earliest))) {
				earliest = candidate;
			}
		}
		return earliest;
	}

}
