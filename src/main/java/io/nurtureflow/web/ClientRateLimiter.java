package io.nurtureflow.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * A token bucket per client address: each holds up to a minute's allowance and refills evenly
 * over the minute, so a client may burst to its allowance and then goes on at the steady rate.
 * At most {@code maxClients} buckets are kept; the least recently seen client is forgotten
 * first, so the memory stays bounded whatever addresses arrive. IPv6 clients are counted by
 * their /64 network, since one host usually has a whole /64 to pick addresses from.
 */
public final class ClientRateLimiter {

	private static final long NANOS_PER_MINUTE = 60_000_000_000L;

	private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

	private static final int MAX_KEY_LENGTH = 64;

	/** A token is this many credits; a client earns {@code perMinute} credits a nanosecond. */
	private static final long TOKEN = NANOS_PER_MINUTE;

	private final long perMinute;

	private final long capacity;

	private final LongSupplier nanoTime;

	private final Map<String, Bucket> buckets;

	/**
	 * @param perMinute requests per minute and client, 0 for no limit
	 * @param maxClients the most clients remembered at once
	 * @param nanoTime a monotonic clock in nanoseconds, such as {@link System#nanoTime()}
	 */
	public ClientRateLimiter(int perMinute, int maxClients, LongSupplier nanoTime) {
		if (perMinute < 0 || perMinute > 1_000_000) {
			throw new IllegalArgumentException("perMinute must be 0 to 1000000");
		}
		this.perMinute = perMinute;
		this.capacity = perMinute * TOKEN;
		this.nanoTime = nanoTime;
		this.buckets = new LinkedHashMap<>(1024, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
				return size() > maxClients;
			}

		};
	}

	/**
	 * Takes one request's token from the client's bucket.
	 * @return 0 when the request may go on, else the nanoseconds until the client has a token again
	 */
	public long acquire(String remoteAddress) {
		if (this.perMinute == 0) {
			return 0;
		}
		String client = clientKey(remoteAddress);
		long now = this.nanoTime.getAsLong();
		synchronized (this.buckets) {
			Bucket bucket = this.buckets.get(client);
			if (bucket == null) {
				this.buckets.put(client, new Bucket(this.capacity - TOKEN, now));
				return 0;
			}
			// a minute refills any bucket, so longer pauses count as a minute (and cannot overflow)
			long elapsed = Math.min(NANOS_PER_MINUTE, Math.max(0, now - bucket.updatedAt));
			bucket.credits = Math.min(this.capacity, bucket.credits + elapsed * this.perMinute);
			bucket.updatedAt = now;
			if (bucket.credits >= TOKEN) {
				bucket.credits -= TOKEN;
				return 0;
			}
			long missing = TOKEN - bucket.credits;
			return (missing + this.perMinute - 1) / this.perMinute;
		}
	}

	public int clients() {
		synchronized (this.buckets) {
			return this.buckets.size();
		}
	}

	/**
	 * The key a client is counted under: its IPv4 address, or the /64 network of its IPv6 address.
	 * Anything else (a forwarded header may carry any text) is kept as text, cut short.
	 */
	public static String clientKey(String remoteAddress) {
		if (remoteAddress == null || remoteAddress.isBlank()) {
			return "unknown";
		}
		String address = remoteAddress.strip();
		if (address.length() > 2 && address.startsWith("[") && address.endsWith("]")) {
			address = address.substring(1, address.length() - 1);
		}
		if (address.indexOf(':') >= 0 && IPV6_LITERAL.matcher(address).matches()) {
			try {
				// in brackets, the text is taken as an IPv6 literal or refused: never a name to look up
				byte[] bytes = InetAddress.getByName("[" + address + "]").getAddress();
				if (bytes.length == 4) {
					return InetAddress.getByAddress(bytes).getHostAddress();
				}
				StringBuilder network = new StringBuilder();
				for (int i = 0; i < 8; i += 2) {
					network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
				}
				return network.append(":/64").toString();
			}
			catch (UnknownHostException ex) {
				// not an address after all; counted by its text below
			}
		}
		return (address.length() > MAX_KEY_LENGTH) ? address.substring(0, MAX_KEY_LENGTH) : address;
	}

	private static final class Bucket {

		private long credits;

		private long updatedAt;

		Bucket(long credits, long updatedAt) {
			this.credits = credits;
			this.updatedAt = updatedAt;
		}

	}

}
