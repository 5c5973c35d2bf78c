/* memcpy and memset for the libc-free runtimes (riscv32/, riscv32-virt/):
 * the compiled model may call these two, nothing else from a libc.
 * Included once by each runtime's C file. */

#ifndef FT_RUNTIME_MEMORY_H
#define FT_RUNTIME_MEMORY_H

typedef __SIZE_TYPE__ size_t;

void *memcpy(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  while (n--)
    *d++ = *s++;
  return dst;
}

void *memset(void *dst, int value, size_t n) {
  unsigned char *d = dst;
  while (n--)
    *d++ = (unsigned char)value;
  return dst;
}

#endif
