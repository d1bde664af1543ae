package io.nurtureflow.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import io.nurtureflow.support.NodeCluster;

/**
 * Integrations pushing leads: a few concurrent clients, each lead to the next node in turn.
 * Like a careful integration, a client that gets no answer (a node died under it) sends the same
 * lead again with the same {@code Idempotency-Key} to the next node, until one answers: the
 * first answer, if the lost request had committed, or a fresh intake if it had not.
 */
final class LeadTraffic implements AutoCloseable {

	private final String run;

	private final List<IntSupplier> ports;

	private final ExecutorService clients;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final AtomicInteger next = new AtomicInteger();

	private final Map<UUID, Integer> accepted = new ConcurrentHashMap<>();

	private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();

	private final AtomicInteger lostRequests = new AtomicInteger();

	private volatile int total;

	/**
	 * @param run makes this run's email addresses unique
	 * @param ports where the nodes listen; read before every request, so a restarted node counts
	 */
	LeadTraffic(String run, int clients, List<IntSupplier> ports) {
		this.run = run;
		this.ports = ports;
		this.clients = Executors.newFixedThreadPool(clients);
		for (int i = 0; i < clients; i++) {
			this.clients.execute(this::postWhileLeadsRemain);
		}
	}

	/** Lets the clients post leads until {@code total} were sent in all. */
	void postUpTo(int total) {
		this.total = total;
	}

	/** Waits until every lead up to the total has an answer. */
	void awaitAnswered(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (answered() < this.total) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError(
						"Only " + answered() + " of " + this.total + " leads answered within " + timeout);
			}
			sleep(200);
		}
	}

	int answered() {
		return this.statuses.values().stream().mapToInt(Integer::intValue).sum();
	}

	/** Leads the server took (201, or 200 for a lead it already had), with their number. */
	Map<UUID, Integer> accepted() {
		return Map.copyOf(this.accepted);
	}

	/** How many leads got which status (after retries, so a lost request does not count). */
	Map<Integer, Integer> statuses() {
		return Map.copyOf(this.statuses);
	}

	/** Requests that got no answer at all and were sent again. */
	int lostRequests() {
		return this.lostRequests.get();
	}

	static String email(String run, int lead) {
		return "lead-" + run + "-" + lead + "@leads.test";
	}

	/** A valid German mobile number per lead, so SMS can be counted per lead. */
	static String phone(int lead) {
		return "+491512%07d".formatted(lead);
	}

	@Override
	public void close() {
		this.total = 0;
		this.clients.shutdownNow();
		try {
			this.clients.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void postWhileLeadsRemain() {
		while (!Thread.currentThread().isInterrupted()) {
			int lead = this.next.get();
			if (lead >= this.total) {
				sleep(50);
				continue;
			}
			if (this.next.compareAndSet(lead, lead + 1)) {
				post(lead);
			}
		}
	}

	private void post(int lead) {
		String body = """
				{"email":"%s","phone":"%s","country":"DE","timeZone":"Europe/Berlin","source":"cluster-test",
				 "consent":{"email":true,"sms":true}}""".formatted(email(this.run, lead), phone(lead));
		for (int attempt = 0; !Thread.currentThread().isInterrupted(); attempt++) {
			int port = this.ports.get((lead + attempt) % this.ports.size()).getAsInt();
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/leads"))
				.timeout(Duration.ofSeconds(60))
				.header("Content-Type", "application/json")
				.header("X-Api-Key", NodeCluster.API_KEY)
				.header("Idempotency-Key", "lead-" + this.run + "-" + lead)
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build();
			try {
				HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
				String location = response.headers().firstValue("Location").orElse(null);
				if ((response.statusCode() == 201 || response.statusCode() == 200) && location != null) {
					this.accepted.put(UUID.fromString(location.substring(location.lastIndexOf('/') + 1)), lead);
				}
				this.statuses.merge(response.statusCode(), 1, Integer::sum);
				return;
			}
			catch (IOException ex) {
				this.lostRequests.incrementAndGet();
				sleep(500);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
