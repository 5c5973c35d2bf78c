/* Where the libc-free runtimes (riscv32/, riscv32-virt/, cortex-m/) put a
 * model's inputs and outputs, whatever calling convention ft-compile gave
 * it (MODEL_IO_IN_ARENA, MODEL_ARENA_IN_CALLER in its header): the
 * accessors' addresses in the arena, or buffers of the runtime's own passed
 * by pointer; a static arena of the runtime's own when the caller provides
 * it. The header (entry point `model`) is included before this file. */

#ifndef FT_RUNTIME_DRIVER_H
#define FT_RUNTIME_DRIVER_H

#include <stdint.h>

#if MODEL_ARENA_IN_CALLER
static uint8_t ft_arena[MODEL_ARENA_SIZE]
    __attribute__((aligned(MODEL_ARENA_ALIGNMENT)));
#define FT_ARENA ft_arena
#define FT_ARENA_POINTER ft_arena
#else
#define FT_ARENA
#define FT_ARENA_POINTER 0
#endif

#if !MODEL_IO_IN_ARENA
/* Each tensor 16-byte aligned in one buffer. */
static uint8_t ft_io[MODEL_INPUTS_BYTES + MODEL_OUTPUTS_BYTES +
                     16 * (MODEL_NUM_INPUTS + MODEL_NUM_OUTPUTS) + 16]
    __attribute__((aligned(16)));

static uint8_t *ft_io_at(unsigned k) {
  uint32_t offset = 0;
  for (unsigned i = 0; i < k; ++i) {
    uint32_t bytes = i < MODEL_NUM_INPUTS
                         ? model_input_bytes[i]
                         : model_output_bytes[i - MODEL_NUM_INPUTS];
    offset += (bytes + 15u) & ~15u;
  }
  return ft_io + offset;
}
#endif

static uint8_t *ft_input(unsigned k) {
#if MODEL_IO_IN_ARENA
  return (uint8_t *)model_inputs[k](FT_ARENA);
#else
  return ft_io_at(k);
#endif
}

static uint8_t *ft_output(unsigned k) {
#if MODEL_IO_IN_ARENA
  return (uint8_t *)model_outputs[k](FT_ARENA);
#else
  return ft_io_at(MODEL_NUM_INPUTS + k);
#endif
}

/* The model call alone: no copies in either convention. */
static void ft_invoke(void) {
#if MODEL_IO_IN_ARENA
  model(FT_ARENA);
#else
  const void *inputs[MODEL_NUM_INPUTS + 1];
  void *outputs[MODEL_NUM_OUTPUTS + 1];
  for (unsigned k = 0; k < MODEL_NUM_INPUTS; ++k)
    inputs[k] = ft_input(k);
  for (unsigned k = 0; k < MODEL_NUM_OUTPUTS; ++k)
    outputs[k] = ft_output(k);
  model_run(inputs, outputs, FT_ARENA_POINTER);
#endif
}

#endif
