/*
 * CPU-bound Java threads, started by main and joined.
 *   java Spin.java THREADS SECONDS [sync]
 * With "sync" each thread computes only inside one shared monitor, held
 * for HOLD_STEPS steps (about 0.1 ms) at a time: the threads are
 * concurrent, serialized by the lock, and a waiter parks in futex.  Held
 * for one step only, the monitor is often won by spinning: the waiter
 * burns a second CPU without getting further, which the kernel (and so
 * ctrace) can only count as running.  Held for milliseconds, the unfair
 * monitor starves one thread for long stretches.
 */
public class Spin {
	static final Object monitor = new Object();
	static volatile long sink;
	static final int HOLD_STEPS = 5;

	static long step(long x) {
		for (int i = 0; i < 20000; i++)
			x = x * 6364136223846793005L + 1442695040888963407L;
		return x;
	}

	public static void main(String[] args) throws InterruptedException {
		int n = Integer.parseInt(args[0]);
		long until = System.nanoTime() + (long) (Double.parseDouble(args[1]) * 1e9);
		boolean sync = args.length > 2 && args[2].equals("sync");
		Thread[] ts = new Thread[n];

		for (int k = 0; k < n; k++) {
			ts[k] = new Thread(() -> {
				long x = 1;
				while (System.nanoTime() < until) {
					if (sync) {
						synchronized (monitor) {
							for (int s = 0; s < HOLD_STEPS; s++)
								x = step(x);
						}
					} else {
						x = step(x);
					}
				}
				sink = x;
			});
			ts[k].start();
		}
		for (Thread t : ts)
			t.join();
	}
}
