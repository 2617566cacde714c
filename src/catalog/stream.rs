//! Files as streams: gzip inflated as it is read, the share of the file
//! read so far, and the limit on what a catalog may keep.
//!
//! The limit is on what is *kept*, not on the file: IMDb's 1 GB basics
//! dump keeps a few tens of thousands of rows, while a plain CSV keeps all
//! of its text until it is parsed.

use super::CatalogError;
use flate2::bufread::MultiGzDecoder;
use std::cell::Cell;
use std::io::{BufRead, BufReader, Read};
use std::rc::Rc;

/// The most a catalog may keep, in titles and bytes of text (a plain
/// file's whole text, an IMDb dump's kept rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeptLimit {
    /// Titles.
    pub titles: usize,
    /// Bytes of text.
    pub bytes: u64,
}

impl KeptLimit {
    /// The app's and the CLI's limit: the million-title path is measured at
    /// 1,000,000 titles, and 200 MB of CSV is about that many.
    pub const DEFAULT: KeptLimit = KeptLimit {
        titles: 1_000_000,
        bytes: 200 * 1024 * 1024,
    };

    /// "1,000,000 titles and 200 MB of text".
    pub fn describe(&self) -> String {
        format!(
            "{} titles and {} MB of text",
            crate::text::thousands(self.titles),
            self.bytes >> 20
        )
    }
}

/// Buffer between the file and the reader (also the slice a browser file is read in).
pub const READ_CHUNK: usize = 1 << 20;

/// How much of a file has been read, shared between the reader and whoever reports progress.
#[derive(Debug, Clone)]
pub struct ReadShare {
    read: Rc<Cell<u64>>,
    total: u64,
    gzip: bool,
}

impl ReadShare {
    /// Whether the file is gzip (inflated as it is read).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // used by the web worker
    pub fn is_gzip(&self) -> bool {
        self.gzip
    }

    /// The share of the file's bytes (compressed, for gzip) read so far, 0..1.
    pub fn share(&self) -> f32 {
        (self.read.get() as f64 / self.total.max(1) as f64).min(1.0) as f32
    }

    /// Bytes of the file read so far.
    pub fn bytes(&self) -> u64 {
        self.read.get()
    }

    /// The file's size in bytes.
    pub fn total(&self) -> u64 {
        self.total
    }
}

/// A reader that counts the bytes read through it.
pub struct Counted<R> {
    inner: R,
    read: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

/// A file of `total` bytes, opened for reading: its text, inflated on the way
/// when it is gzip (known by its first two bytes, not its name), and a handle
/// on how much of the file has been read.
pub fn open<'a, R: Read + 'a>(file: R, total: u64) -> (Box<dyn BufRead + 'a>, ReadShare) {
    let read = Rc::new(Cell::new(0));
    let mut raw = BufReader::with_capacity(
        READ_CHUNK,
        Counted {
            inner: file,
            read: read.clone(),
        },
    );
    let gzip = matches!(raw.fill_buf(), Ok([0x1f, 0x8b, ..]));
    let share = ReadShare { read, total, gzip };
    let text: Box<dyn BufRead + 'a> = if gzip {
        Box::new(BufReader::with_capacity(
            READ_CHUNK,
            MultiGzDecoder::new(raw),
        ))
    } else {
        Box::new(raw)
    };
    (text, share)
}

/// An error while reading a stream, in words: a gzip file cut short or
/// damaged says so.
pub fn read_error(e: std::io::Error) -> CatalogError {
    use std::io::ErrorKind::*;
    CatalogError::Unreadable(match e.kind() {
        UnexpectedEof => {
            "the gzip file ends too early (the download was cut short?); nothing was loaded from it"
                .to_string()
        }
        InvalidInput | InvalidData => {
            format!("the gzip file is damaged ({e}); nothing was loaded from it")
        }
        _ => format!("cannot read the file: {e}"),
    })
}

/// All of a stream's text, refused beyond `limit` bytes (a plain catalog
/// keeps its whole text until it is parsed).
pub fn read_all(
    text: &mut dyn BufRead,
    share: &ReadShare,
    limit: u64,
    progress: &mut dyn FnMut(f32),
) -> Result<Vec<u8>, CatalogError> {
    // A plain file's text is its bytes: one allocation of the right size,
    // not a doubling vector (which held up to twice the file at once).
    let mut out = Vec::with_capacity(if share.is_gzip() {
        0
    } else {
        share.total().min(limit) as usize
    });
    loop {
        let chunk = text.fill_buf().map_err(read_error)?;
        if chunk.is_empty() {
            return Ok(out);
        }
        if (out.len() + chunk.len()) as u64 > limit {
            return Err(CatalogError::TooBig(format!(
                "its text is over {} MB, the most a catalog keeps (IMDb's title.basics dump is filtered as it is read, so it may be any size)",
                limit >> 20
            )));
        }
        out.extend_from_slice(chunk);
        let n = chunk.len();
        text.consume(n);
        progress(share.share());
    }
}

/// Data rows of a text, counted by line breaks as
/// [`approximate_rows`](crate::table::approximate_rows) counts them: the
/// head already read, then the rest of the stream a buffer at a time
/// (nothing is kept).
pub fn count_rows(head: &[u8], rest: &mut dyn BufRead) -> Result<usize, CatalogError> {
    let mut breaks = memchr::memchr_iter(b'\n', head).count();
    let mut last = head.last().copied();
    loop {
        let chunk = rest.fill_buf().map_err(read_error)?;
        if chunk.is_empty() {
            break;
        }
        breaks += memchr::memchr_iter(b'\n', chunk).count();
        last = chunk.last().copied();
        let n = chunk.len();
        rest.consume(n);
    }
    let trailing = usize::from(last.is_some_and(|b| b != b'\n'));
    Ok((breaks + trailing).saturating_sub(1))
}

/// The first `limit` bytes of a stream's text (or all of it, when shorter),
/// for a preview.
pub fn read_head(text: &mut dyn BufRead, limit: usize) -> Result<Vec<u8>, CatalogError> {
    let mut head = Vec::new();
    // A gzip file cut short still has a head to preview; the build says it is cut.
    match text.take(limit as u64).read_to_end(&mut head) {
        Ok(_) => Ok(head),
        Err(_) if !head.is_empty() => Ok(head),
        Err(e) => Err(read_error(e)),
    }
}

/// Bytes gzipped, for tests.
#[cfg(test)]
pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing to a Vec cannot fail.
    e.write_all(bytes).expect("writing to memory");
    e.finish().expect("writing to memory")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(file: &[u8]) -> Result<Vec<u8>, CatalogError> {
        let (mut text, share) = open(file, file.len() as u64);
        read_all(&mut text, &share, KeptLimit::DEFAULT.bytes, &mut |_| {})
    }

    #[test]
    fn gzip_is_inflated_and_plain_text_passes_through() {
        let text = "title,year\nAlien,1979\n".repeat(50_000);
        assert_eq!(text_of(&gzip(text.as_bytes())).unwrap(), text.as_bytes());
        assert_eq!(text_of(text.as_bytes()).unwrap(), text.as_bytes());
        // Two members one after the other, as `cat a.gz b.gz` makes.
        let mut two = gzip(b"title\nA\n");
        two.extend(gzip(b"B\n"));
        assert_eq!(text_of(&two).unwrap(), b"title\nA\nB\n");
    }

    #[test]
    fn the_share_read_counts_compressed_bytes() {
        let file = gzip("title,year\nAlien,1979\n".repeat(100_000).as_bytes());
        let (mut text, share) = open(file.as_slice(), file.len() as u64);
        let mut shares = Vec::new();
        read_all(&mut text, &share, u64::MAX, &mut |s| shares.push(s)).unwrap();
        assert!(shares.len() > 1, "{shares:?}");
        assert!(shares.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(*shares.last().unwrap(), 1.0);
        assert_eq!(share.bytes(), file.len() as u64);
    }

    #[test]
    fn rows_are_counted_through_the_stream_as_in_memory() {
        for text in ["title\nA\nB\n", "title\nA\nB", "title", "", "title\n\nA\n"] {
            let bytes = text.repeat(3000);
            let (mut stream, _) = open(bytes.as_bytes(), bytes.len() as u64);
            let head = read_head(&mut stream, 1000).unwrap();
            let expected = crate::table::approximate_rows(bytes.as_bytes());
            assert_eq!(
                count_rows(&head, &mut stream).unwrap(),
                expected,
                "{text:?}"
            );
        }
    }

    #[test]
    fn text_over_the_limit_is_refused_as_it_is_read() {
        let file = gzip("title,year\nAlien,1979\n".repeat(100_000).as_bytes());
        let (mut text, share) = open(file.as_slice(), file.len() as u64);
        let e = read_all(&mut text, &share, 1 << 20, &mut |_| {}).unwrap_err();
        assert!(e.to_string().contains("over 1 MB"), "{e}");
    }

    #[test]
    fn a_cut_or_damaged_gzip_file_says_so() {
        let file = gzip("title,year\nAlien,1979\n".repeat(100_000).as_bytes());
        let cut = text_of(&file[..file.len() / 2]).unwrap_err().to_string();
        assert!(cut.contains("ends too early"), "{cut}");
        let mut damaged = file.clone();
        for b in &mut damaged[20..60] {
            *b ^= 0x5a;
        }
        let damaged = text_of(&damaged).unwrap_err().to_string();
        assert!(damaged.contains("damaged"), "{damaged}");
        // A preview of a cut file still shows its head.
        let (mut text, _) = open(&file[..file.len() / 2], 0);
        assert!(read_head(&mut text, 1 << 16)
            .unwrap()
            .starts_with(b"title,year\n"));
    }
}
