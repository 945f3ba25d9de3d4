package dev.authoritypack.it.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Requests from {@code n} threads, all released at one moment: the tests of races. */
public final class Concurrently {

    private Concurrently() {
    }

    /** One thread's request, given the thread's index ({@code 0..n-1}): each thread may send a request of its own. */
    @FunctionalInterface
    public interface Indexed<T> {
        T call(int index) throws Exception;
    }

    /** {@code request} {@code n} times at once; the answers in the order of the threads (each waited for up to 60 s). */
    public static <T> List<T> atOnce(int n, Callable<T> request) throws Exception {
        return each(n, i -> request.call());
    }

    /** {@code request(0)} ... {@code request(n - 1)} at once; the answers in the order of the indexes. */
    public static <T> List<T> each(int n, Indexed<T> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return request.call(index);
                }));
            }
            go.countDown();
            List<T> answers = new ArrayList<>();
            for (Future<T> f : futures) {
                answers.add(f.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
