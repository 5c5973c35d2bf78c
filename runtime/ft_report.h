/* What the bare-metal runtimes that count instructions (riscv32-virt/,
 * cortex-m/) exchange over their UART: every input's raw bytes in; the
 * per-layer profile ("layer N NAME" lines, --profile-layers), the line
 * "instructions N" and every output's raw bytes out. The runtime defines
 * read_byte and write_byte, then includes this file (after ft_driver.h);
 * its ft_profile_begin/ft_profile_end add to ft_profile. */

#ifndef FT_RUNTIME_REPORT_H
#define FT_RUNTIME_REPORT_H

#include <stdint.h>

static uint8_t read_byte(void);
static void write_byte(uint8_t byte);

static void ft_read_inputs(void) {
  for (unsigned i = 0; i < MODEL_NUM_INPUTS; ++i) {
    uint8_t *input = ft_input(i);
    for (uint32_t b = 0; b < model_input_bytes[i]; ++b)
      input[b] = read_byte();
  }
}

static void ft_write_text(const char *text) {
  for (; *text; ++text)
    write_byte((uint8_t)*text);
}

/* *value / 10, returning the remainder, in 32-bit divisions (a 64-bit one
 * would need a library's __udivdi3 or __aeabi_uldivmod). */
static uint32_t ft_divide_by_10(uint64_t *value) {
  const uint32_t high = (uint32_t)(*value >> 32), low = (uint32_t)*value;
  const uint32_t quotientHigh = high / 10;
  const uint32_t middle = ((high % 10) << 16) | (low >> 16);
  const uint32_t lowest = ((middle % 10) << 16) | (low & 0xffffu);
  *value =
      ((uint64_t)quotientHigh << 32) | ((middle / 10) << 16) | (lowest / 10);
  return lowest % 10;
}

static void ft_write_decimal(uint64_t value) {
  char digits[20];
  int n = 0;
  do
    digits[n++] = (char)('0' + ft_divide_by_10(&value));
  while (value);
  while (n)
    write_byte((uint8_t)digits[--n]);
}

#ifdef MODEL_NUM_PROFILED_LAYERS
/* Instructions per layer (the last slot: code of no layer). */
static uint64_t ft_profile[MODEL_NUM_PROFILED_LAYERS + 1];

static unsigned ft_profile_slot(int32_t slot) {
  return slot >= 0 && slot < MODEL_NUM_PROFILED_LAYERS
             ? (unsigned)slot
             : MODEL_NUM_PROFILED_LAYERS;
}
#endif

/* The profile's lines, "instructions <count>", then every output. */
static void ft_write_report(uint64_t count) {
#ifdef MODEL_NUM_PROFILED_LAYERS
  for (unsigned i = 0; i <= MODEL_NUM_PROFILED_LAYERS; ++i) {
    ft_write_text("layer ");
    ft_write_decimal(ft_profile[i]);
    write_byte(' ');
    ft_write_text(i < MODEL_NUM_PROFILED_LAYERS ? model_profiled_layers[i]
                                                : "(no layer)");
    write_byte('\n');
  }
#endif
  ft_write_text("instructions ");
  ft_write_decimal(count);
  write_byte('\n');
  for (unsigned i = 0; i < MODEL_NUM_OUTPUTS; ++i) {
    const uint8_t *output = ft_output(i);
    for (uint32_t b = 0; b < model_output_bytes[i]; ++b)
      write_byte(output[b]);
  }
}

#endif
