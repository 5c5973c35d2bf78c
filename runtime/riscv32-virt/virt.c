/* A bare-metal runtime for models compiled by ft-compile for riscv32, on
 * qemu-system-riscv32's `virt` machine: no libc, no OS. It reads every
 * input from the UART (raw bytes, in order), counts the instructions the
 * model call retires (the minstret CSR: exact under `-icount shift=0`),
 * and writes one text line, "instructions N\n", then every output (raw
 * bytes) to the UART; it exits through the virt test device. run.sh in
 * this folder builds and runs it. A model compiled with --profile-layers
 * gets the profiling hooks defined here, and one line per layer,
 * "layer N NAME", before the count.
 *
 * The header must declare the entry point `model` (ft-compile's default
 * name), in any calling convention, and is included with -include. */

#include <stdint.h>

#include "../ft_driver.h"
#include "../ft_memory.h"

/* The virt machine's NS16550A UART and SiFive test (exit) device. */
#define UART ((volatile uint8_t *)0x10000000u)
#define UART_LSR 5
#define UART_LSR_DATA_READY 0x01
#define UART_LSR_THR_EMPTY 0x20
#define TEST_DEVICE ((volatile uint32_t *)0x00100000u)

static uint8_t read_byte(void) {
  while (!(UART[UART_LSR] & UART_LSR_DATA_READY)) {
  }
  return UART[0];
}

static void write_byte(uint8_t byte) {
  while (!(UART[UART_LSR] & UART_LSR_THR_EMPTY)) {
  }
  UART[0] = byte;
}

/* Exit status `code`: 0 passes (qemu exits 0), anything else fails with it. */
__attribute__((noreturn)) void ft_virt_exit(int code) {
  *TEST_DEVICE = code == 0 ? 0x5555u : ((uint32_t)code << 16) | 0x3333u;
  for (;;) {
  }
}

/* Retired instructions so far (minstreth:minstret, read consistently). */
static uint64_t retired(void) {
  uint32_t high, low, again;
  do {
    __asm__ volatile("csrr %0, minstreth" : "=r"(high));
    __asm__ volatile("csrr %0, minstret" : "=r"(low));
    __asm__ volatile("csrr %0, minstreth" : "=r"(again));
  } while (high != again);
  return ((uint64_t)high << 32) | low;
}

/* *value / 10, returning the remainder, in 32-bit divisions (a 64-bit one
 * would need libgcc's __udivdi3). */
static uint32_t divide_by_10(uint64_t *value) {
  const uint32_t high = (uint32_t)(*value >> 32), low = (uint32_t)*value;
  const uint32_t quotientHigh = high / 10;
  const uint32_t middle = ((high % 10) << 16) | (low >> 16);
  const uint32_t lowest = ((middle % 10) << 16) | (low & 0xffffu);
  *value =
      ((uint64_t)quotientHigh << 32) | ((middle / 10) << 16) | (lowest / 10);
  return lowest % 10;
}

static void write_decimal(uint64_t value) {
  char digits[20];
  int n = 0;
  do
    digits[n++] = (char)('0' + divide_by_10(&value));
  while (value);
  while (n)
    write_byte((uint8_t)digits[--n]);
}

#ifdef MODEL_NUM_PROFILED_LAYERS
/* The per-layer profile (ft-compile --profile-layers): instructions retired
 * between each ft_profile_begin and ft_profile_end, summed per slot; the
 * last slot sums the code of no layer. */
static uint64_t profile[MODEL_NUM_PROFILED_LAYERS + 1];
static uint64_t profile_start;

static unsigned profile_slot(int32_t slot) {
  return slot >= 0 && slot < MODEL_NUM_PROFILED_LAYERS
             ? (unsigned)slot
             : MODEL_NUM_PROFILED_LAYERS;
}

void ft_profile_begin(int32_t slot) {
  (void)slot;
  profile_start = retired();
}

void ft_profile_end(int32_t slot) {
  profile[profile_slot(slot)] += retired() - profile_start;
}

static void write_text(const char *text) {
  for (; *text; ++text)
    write_byte((uint8_t)*text);
}

/* One line per slot: "layer <instructions> <name>". */
static void write_profile(void) {
  for (unsigned i = 0; i <= MODEL_NUM_PROFILED_LAYERS; ++i) {
    write_text("layer ");
    write_decimal(profile[i]);
    write_byte(' ');
    write_text(i < MODEL_NUM_PROFILED_LAYERS ? model_profiled_layers[i]
                                             : "(no layer)");
    write_byte('\n');
  }
}
#endif

int main(void) {
  for (unsigned i = 0; i < MODEL_NUM_INPUTS; ++i) {
    uint8_t *input = ft_input(i);
    for (uint32_t b = 0; b < model_input_bytes[i]; ++b)
      input[b] = read_byte();
  }
  /* The counter's own reads cost a few instructions: measure them once
   * and subtract, so the figure is the model call alone. */
  const uint64_t empty0 = retired();
  const uint64_t empty1 = retired();
  const uint64_t start = retired();
  ft_invoke();
  const uint64_t end = retired();
  const uint64_t count = (end - start) - (empty1 - empty0);
#ifdef MODEL_NUM_PROFILED_LAYERS
  write_profile();
#endif
  static const char label[] = "instructions ";
  for (const char *c = label; *c; ++c)
    write_byte((uint8_t)*c);
  write_decimal(count);
  write_byte('\n');
  for (unsigned i = 0; i < MODEL_NUM_OUTPUTS; ++i) {
    const uint8_t *output = ft_output(i);
    for (uint32_t b = 0; b < model_output_bytes[i]; ++b)
      write_byte(output[b]);
  }
  return 0;
}
