//! Work spread over every core the machine has: signing a roster's credentials, checking
//! the audit log's signatures.

use crate::{AppError, ErrorKind};

/// `f` of every item, on every core, the results in the items' order; an error stops the
/// work and is returned. Each thread takes the next few items as it comes free, so a thread
/// slowed by other work (a batch signs, renders and writes at once) leaves the rest to the
/// others rather than holding up the whole list. Short lists stay on this thread.
pub(crate) fn map<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<R, AppError> + Sync,
) -> Result<Vec<R>, AppError> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads == 1 || items.len() <= 64 {
        return items.iter().map(&f).collect();
    }
    let block = (items.len() / (threads * 8)).clamp(1, 64);
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let (f, next, failed) = (&f, &next, &failed);
    let parts = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(move || -> Result<Vec<(usize, Vec<R>)>, AppError> {
                    let mut done = Vec::new();
                    while !failed.load(Ordering::Relaxed) {
                        let start = next.fetch_add(block, Ordering::Relaxed);
                        let Some(part) = items.get(start..(start + block).min(items.len())) else {
                            break;
                        };
                        if part.is_empty() {
                            break;
                        }
                        match part.iter().map(f).collect::<Result<Vec<R>, AppError>>() {
                            Ok(results) => done.push((start, results)),
                            Err(e) => {
                                failed.store(true, Ordering::Relaxed);
                                return Err(e);
                            }
                        }
                    }
                    Ok(done)
                })
            })
            .collect();
        let mut parts = Vec::new();
        for w in workers {
            let done = w
                .join()
                .map_err(|_| AppError::new(ErrorKind::Internal, "a worker thread failed"))??;
            parts.extend(done);
        }
        Ok::<_, AppError>(parts)
    })?;
    let mut parts = parts;
    parts.sort_unstable_by_key(|(start, _)| *start);
    let mut out = Vec::with_capacity(items.len());
    for (_, results) in parts {
        out.extend(results);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_and_the_first_error_wins() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled = map(&items, |i| Ok(i * 2)).expect("maps");
        assert_eq!(doubled, (0..1000).map(|i| i * 2).collect::<Vec<_>>());
        let failed = map(&items, |i| {
            if *i == 700 {
                Err(AppError::new(ErrorKind::Internal, "item 700"))
            } else {
                Ok(*i)
            }
        });
        assert!(failed.is_err_and(|e| e.to_string().contains("item 700")));
    }
}
