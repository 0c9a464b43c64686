//! Work spread over every core the machine has: signing a roster's credentials, checking
//! the audit log's signatures.

use crate::{AppError, ErrorKind};

/// `f` of every item, on every core (in contiguous slices, so the results come back in the
/// items' order); the first error wins. Short lists stay on this thread.
pub(crate) fn map<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<R, AppError> + Sync,
) -> Result<Vec<R>, AppError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(64);
    if threads == 1 || items.len() <= chunk {
        return items.iter().map(&f).collect();
    }
    let f = &f;
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || part.iter().map(f).collect::<Result<Vec<R>, AppError>>())
            })
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for w in workers {
            let part = w
                .join()
                .map_err(|_| AppError::new(ErrorKind::Internal, "a worker thread failed"))??;
            out.extend(part);
        }
        Ok(out)
    })
}
