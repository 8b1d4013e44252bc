//! Loading a built-in plugin's code with one write of it instead of two.
//!
//! Unpacked into a buffer, the code is then copied by wasmtime into a mapping
//! of its own: two sets of fresh pages, zeroed by the kernel and written in
//! full, for every run. On Linux it is instead unpacked straight into an
//! in-memory file (memfd), which wasmtime maps privately: its mapping shares
//! the file's pages (wasmtime only changes their protection; compiled code
//! carries no relocations to apply), so the code is written once and held in
//! memory once. Anywhere this is not available the runtime unpacks into a
//! buffer as before.

use std::fs::File;
use std::io;

/// The code in `packed` (LZ4, its size prepended as by `lz4::block::compress`)
/// unpacked into a new in-memory file.
#[cfg(target_os = "linux")]
pub(super) fn unpack_to_memory_file(packed: &[u8]) -> io::Result<File> {
    use std::os::fd::FromRawFd;
    let size = packed
        .first_chunk::<4>()
        .map(|prefix| i32::from_le_bytes(*prefix))
        .and_then(|size| usize::try_from(size).ok())
        .filter(|&size| size > 0)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no size prefix"))?;
    // SAFETY: a NUL-terminated name and valid flags; the descriptor returned
    // is new and owned by the File from here on.
    let file = unsafe {
        let fd = libc::memfd_create(c"kagi-plugin-code".as_ptr(), libc::MFD_CLOEXEC);
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        File::from_raw_fd(fd)
    };
    file.set_len(size as u64)?;
    let mapping = SharedMapping::of(&file, size)?;
    // SAFETY: the mapping is `size` bytes, readable and writable, and ours
    // alone until it is dropped.
    let buffer = unsafe { std::slice::from_raw_parts_mut(mapping.0.cast::<u8>(), size) };
    let written = lz4::block::decompress_to_buffer(packed, None, buffer)?;
    if written != size {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "short code"));
    }
    Ok(file)
}

/// A shared, writable mapping of a file, unmapped on drop.
#[cfg(target_os = "linux")]
struct SharedMapping(*mut libc::c_void, usize);

#[cfg(target_os = "linux")]
impl SharedMapping {
    fn of(file: &File, len: usize) -> io::Result<SharedMapping> {
        use std::os::fd::AsRawFd;
        // SAFETY: mapping a file we own, at an address the kernel picks.
        let at = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                file.as_raw_fd(),
                0,
            )
        };
        if at == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(SharedMapping(at, len))
    }
}

#[cfg(target_os = "linux")]
impl Drop for SharedMapping {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `of`, no longer borrowed.
        unsafe { libc::munmap(self.0, self.1) };
    }
}

/// Where wasmtime can open `file` by path (it maps files by path only).
#[cfg(target_os = "linux")]
pub(super) fn path_of(file: &File) -> std::path::PathBuf {
    use std::os::fd::AsRawFd;
    format!("/proc/self/fd/{}", file.as_raw_fd()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn code_unpacks_into_a_memory_file_byte_for_byte() {
        use std::io::Read;
        let code: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let packed = lz4::block::compress(&code, None, true).unwrap();
        let file = unpack_to_memory_file(&packed).unwrap();
        let mut back = Vec::new();
        File::open(path_of(&file))
            .unwrap()
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, code);
        // Broken input is an error, never a partly written file that loads.
        assert!(unpack_to_memory_file(&packed[..packed.len() / 2]).is_err());
        assert!(unpack_to_memory_file(b"").is_err());
    }
}
