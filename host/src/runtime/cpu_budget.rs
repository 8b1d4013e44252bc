//! The CPU budget of a plugin run, kept without instrumenting the plugin's
//! code. (wasmtime's fuel counted every basic block and made parsing about a
//! third slower; epoch checks at every call and loop still cost a sixth.)
//!
//! A plugin runs on a thread of its own, and the kernel keeps that thread's
//! CPU time. The thread waiting for the plugin's result reads it and stops
//! the run once the budget is spent, the same way it stops a run that passes
//! its wall-clock deadline. A plugin is one wasm thread, so it uses at most a
//! second of CPU per second of wall clock: the waiting thread sleeps until the
//! earliest moment the budget could be spent and looks then, with no
//! periodic wake-ups and nothing on the plugin's path.
//!
//! What is counted is everything the plugin's thread does, the host calls it
//! makes included (parsing its requests, redacting its responses); waiting
//! (on the network, on a sleep) uses no CPU. Each second the plugin sleeps
//! (`terminal.sleep-ms`) gives back a second, up to the budget: `kagi watch`
//! can poll for days, while a loop that never rests, or rests for no time, is
//! stopped.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long the waiting thread sleeps at least between two looks, so that a
/// budget about to be spent does not make it spin.
const FINEST_LOOK: Duration = Duration::from_millis(1);

/// The budget of one run, shared by the plugin's thread (which rests) and the
/// thread waiting for it (which looks).
#[derive(Debug)]
pub(crate) struct CpuBudget {
    budget: Duration,
    /// The CPU time of the plugin's thread, in ns, at which the budget is spent.
    spent_at: AtomicU64,
}

impl CpuBudget {
    /// The budget of a thread about to start (whose CPU clock starts at 0).
    pub(crate) fn new(budget: Duration) -> CpuBudget {
        CpuBudget {
            budget,
            spent_at: AtomicU64::new(nanos(budget)),
        }
    }

    /// What is left once the thread has used `used`; `None` when spent.
    pub(crate) fn left(&self, used: Duration) -> Option<Duration> {
        let spent_at = self.spent_at.load(Ordering::Relaxed);
        match spent_at.saturating_sub(nanos(used)) {
            0 => None,
            left => Some(Duration::from_nanos(left)),
        }
    }

    /// Gives back `slept` after the thread slept that long, having used
    /// `used`: never more than the whole budget from now, and nothing once
    /// the budget is spent (the waiting thread is about to stop the run).
    pub(crate) fn rest(&self, slept: Duration, used: Duration) {
        let used = nanos(used);
        let most = used.saturating_add(nanos(self.budget));
        let _ = self
            .spent_at
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |at| {
                (at > used).then(|| at.saturating_add(nanos(slept)).min(most))
            });
    }
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// The CPU clock of one thread, as the kernel keeps it.
pub(crate) enum ThreadClock {
    Posix(libc::clockid_t),
    /// macOS has no `pthread_getcpuclockid`; another thread's CPU time comes
    /// from Mach instead.
    #[cfg(target_vendor = "apple")]
    Mach(libc::mach_port_t),
}

impl ThreadClock {
    /// The calling thread's.
    pub(crate) fn current() -> ThreadClock {
        ThreadClock::Posix(libc::CLOCK_THREAD_CPUTIME_ID)
    }

    /// Another thread's, readable while `thread` is not yet joined.
    pub(crate) fn of<T>(thread: &std::thread::JoinHandle<T>) -> Option<ThreadClock> {
        use std::os::unix::thread::JoinHandleExt;
        let thread = thread.as_pthread_t();
        #[cfg(target_vendor = "apple")]
        {
            // SAFETY: the handle keeps `thread` valid (not joined, not detached).
            Some(ThreadClock::Mach(unsafe {
                libc::pthread_mach_thread_np(thread)
            }))
        }
        #[cfg(not(target_vendor = "apple"))]
        {
            let mut id: libc::clockid_t = 0;
            // SAFETY: the handle keeps `thread` valid (not joined, not
            // detached), and `id` is a valid place for the result.
            let found = unsafe { libc::pthread_getcpuclockid(thread, &mut id) };
            (found == 0).then_some(ThreadClock::Posix(id))
        }
    }

    /// The CPU time the thread has used; `None` if it can no longer be read
    /// (the thread has ended).
    pub(crate) fn read(&self) -> Option<Duration> {
        match *self {
            ThreadClock::Posix(id) => {
                let mut now = libc::timespec {
                    tv_sec: 0,
                    tv_nsec: 0,
                };
                // SAFETY: `now` is a valid place for the result.
                if unsafe { libc::clock_gettime(id, &mut now) } != 0 {
                    return None;
                }
                Some(Duration::new(
                    u64::try_from(now.tv_sec).ok()?,
                    u32::try_from(now.tv_nsec).ok()?,
                ))
            }
            #[cfg(target_vendor = "apple")]
            ThreadClock::Mach(port) => {
                let mut info = std::mem::MaybeUninit::<libc::thread_basic_info>::zeroed();
                let mut count = libc::THREAD_BASIC_INFO_COUNT;
                // SAFETY: `info` has room for THREAD_BASIC_INFO_COUNT integers.
                let status = unsafe {
                    libc::thread_info(
                        port,
                        libc::THREAD_BASIC_INFO as libc::thread_flavor_t,
                        info.as_mut_ptr().cast(),
                        &mut count,
                    )
                };
                if status != libc::KERN_SUCCESS {
                    return None;
                }
                // SAFETY: thread_info filled it in.
                let info = unsafe { info.assume_init() };
                let micros = |t: libc::time_value_t| {
                    u64::try_from(t.seconds).unwrap_or(0) * 1_000_000
                        + u64::try_from(t.microseconds).unwrap_or(0)
                };
                Some(Duration::from_micros(
                    micros(info.user_time) + micros(info.system_time),
                ))
            }
        }
    }
}

/// How waiting for a plugin's result ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Waited<T> {
    Done(T),
    PastDeadline,
    OutOfCpu,
    /// The plugin's thread ended without sending a result.
    Vanished,
}

/// Waits for the result a plugin's thread sends on `finished`, while its
/// wall clock stays before `deadline` and its CPU clock within `budget`.
/// (Without a readable clock, only the deadline holds.)
pub(crate) fn wait_for<T>(
    finished: &Receiver<T>,
    deadline: Option<Instant>,
    budget: &CpuBudget,
    clock: Option<&ThreadClock>,
) -> Waited<T> {
    loop {
        let cpu_left = match clock
            .and_then(ThreadClock::read)
            .map(|used| budget.left(used))
        {
            Some(None) => {
                // A result sent at the last moment still counts.
                return match finished.try_recv() {
                    Ok(result) => Waited::Done(result),
                    Err(_) => Waited::OutOfCpu,
                };
            }
            Some(left) => left,
            None => None,
        };
        let to_deadline = deadline.map(|at| at.saturating_duration_since(Instant::now()));
        let received = match to_deadline.into_iter().chain(cpu_left).min() {
            Some(wait) => finished.recv_timeout(wait.max(FINEST_LOOK)),
            None => finished.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match received {
            Ok(result) => return Waited::Done(result),
            Err(RecvTimeoutError::Disconnected) => return Waited::Vanished,
            Err(RecvTimeoutError::Timeout) if deadline.is_some_and(|at| Instant::now() >= at) => {
                return Waited::PastDeadline;
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::mpsc::channel;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn a_rest_gives_back_what_was_slept_up_to_the_whole_budget() {
        let budget = CpuBudget::new(100 * MS);
        assert_eq!(budget.left(30 * MS), Some(70 * MS));
        budget.rest(20 * MS, 30 * MS);
        assert_eq!(budget.left(30 * MS), Some(90 * MS));
        budget.rest(Duration::from_secs(3600), 30 * MS);
        assert_eq!(budget.left(30 * MS), Some(100 * MS), "capped at the budget");
        budget.rest(Duration::ZERO, 50 * MS);
        assert_eq!(
            budget.left(50 * MS),
            Some(80 * MS),
            "a zero rest gives nothing"
        );
        assert_eq!(budget.left(130 * MS), None);
        budget.rest(Duration::MAX, Duration::MAX);
        assert_eq!(budget.left(Duration::MAX), None, "no overflow");
    }

    #[test]
    fn a_spent_budget_is_not_given_back() {
        let budget = CpuBudget::new(100 * MS);
        // The thread went past the budget before the waiting thread looked,
        // then slept: it stays spent.
        budget.rest(Duration::from_secs(1), 101 * MS);
        assert_eq!(budget.left(101 * MS), None);
    }

    /// Spins the calling thread until its own CPU clock reads `until`.
    fn spin_until(until: Duration) {
        let clock = ThreadClock::current();
        while clock.read().unwrap() < until {
            std::hint::black_box(0u64);
        }
    }

    /// Runs `work` on a thread of its own under `budget`, as a plugin runs.
    fn run(
        budget: Duration,
        deadline: Option<Duration>,
        work: impl FnOnce(&CpuBudget) + Send + 'static,
    ) -> Waited<()> {
        let budget = Arc::new(CpuBudget::new(budget));
        let (done, finished) = channel();
        let theirs = Arc::clone(&budget);
        let thread = std::thread::spawn(move || {
            work(&theirs);
            let _ = done.send(());
        });
        let clock = ThreadClock::of(&thread).expect("a running thread's clock");
        let deadline = deadline.map(|d| Instant::now() + d);
        let waited = wait_for(&finished, deadline, &budget, Some(&clock));
        if waited == Waited::Done(()) {
            thread.join().unwrap();
        }
        waited
    }

    #[test]
    fn a_thread_that_never_rests_is_stopped_when_its_cpu_is_spent() {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let spinning = Arc::clone(&stop);
        let started = Instant::now();
        let waited = run(50 * MS, None, move |_| {
            while !spinning.load(Ordering::Relaxed) {
                std::hint::black_box(0u64);
            }
        });
        stop.store(true, Ordering::Relaxed);
        assert_eq!(waited, Waited::OutOfCpu);
        // It cannot have used 50 ms of CPU in less than 50 ms.
        assert!(started.elapsed() >= 50 * MS);
    }

    #[test]
    fn waiting_uses_no_budget() {
        let waited = run(20 * MS, None, |_| std::thread::sleep(200 * MS));
        assert_eq!(waited, Waited::Done(()));
    }

    #[test]
    fn work_split_by_rests_may_sum_past_the_budget() {
        let work_and_rest = |rest: bool| {
            move |budget: &CpuBudget| {
                spin_until(40 * MS);
                if rest {
                    let started = Instant::now();
                    std::thread::sleep(60 * MS);
                    budget.rest(started.elapsed(), ThreadClock::current().read().unwrap());
                }
                spin_until(80 * MS);
            }
        };
        assert_eq!(run(50 * MS, None, work_and_rest(true)), Waited::Done(()));
        // The same work without the rest: 80 ms of CPU, past 50.
        assert_eq!(run(50 * MS, None, work_and_rest(false)), Waited::OutOfCpu);
    }

    #[test]
    fn the_wall_clock_deadline_holds_too() {
        let waited = run(Duration::from_secs(60), Some(50 * MS), |_| {
            std::thread::sleep(Duration::from_secs(5))
        });
        assert_eq!(waited, Waited::PastDeadline);
    }

    #[test]
    fn a_thread_ending_without_a_result_has_vanished() {
        let budget = CpuBudget::new(Duration::from_secs(1));
        let (done, finished) = channel::<()>();
        drop(done);
        assert_eq!(wait_for(&finished, None, &budget, None), Waited::Vanished);
    }
}
