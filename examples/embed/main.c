/* Embedding a model compiled by ft-compile in a C program.
 *
 *   ft-compile model.tflite -o model.o --header=model.h \
 *       [--io-in-arena=false] [--arena-argument]
 *   cc -include model.h main.c model.o -o demo
 *   ./demo inputs.bin outputs.bin
 *
 * inputs.bin holds every input's bytes, in order (MODEL_INPUTS_BYTES);
 * outputs.bin gets every output's. The same program works whatever calling
 * convention the header describes: model_run() hides it. The direct calls
 * are shown at the end of this file. */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The caller's arena, when the model takes it as an argument. */
#if MODEL_ARENA_IN_CALLER
static _Alignas(MODEL_ARENA_ALIGNMENT) uint8_t arena[MODEL_ARENA_SIZE];
#define ARENA arena
#else
#define ARENA 0
#endif

static _Alignas(16) uint8_t inputs_data[MODEL_INPUTS_BYTES + 1];
static _Alignas(16) uint8_t outputs_data[MODEL_OUTPUTS_BYTES + 1];

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s INPUTS.bin OUTPUTS.bin\n", argv[0]);
    return 2;
  }
  FILE *in = fopen(argv[1], "rb");
  if (!in || fread(inputs_data, 1, MODEL_INPUTS_BYTES + 1, in) !=
                 MODEL_INPUTS_BYTES) {
    fprintf(stderr, "demo: %s is not %d bytes\n", argv[1],
            MODEL_INPUTS_BYTES);
    return 1;
  }
  fclose(in);

  /* Each input and output at its offset in the two buffers. (Tensors of
   * wider types than int8 would want aligned offsets; every offset here is
   * a sum of whole tensors.) */
  const void *inputs[MODEL_NUM_INPUTS + 1];
  void *outputs[MODEL_NUM_OUTPUTS + 1];
  uint32_t offset = 0;
  for (unsigned k = 0; k < MODEL_NUM_INPUTS; offset += model_input_bytes[k++])
    inputs[k] = inputs_data + offset;
  offset = 0;
  for (unsigned k = 0; k < MODEL_NUM_OUTPUTS;
       offset += model_output_bytes[k++])
    outputs[k] = outputs_data + offset;

  static uint8_t inputs_before[MODEL_INPUTS_BYTES + 1];
  memcpy(inputs_before, inputs_data, MODEL_INPUTS_BYTES);
  model_run(inputs, outputs, ARENA);
  /* The model reads its inputs and never writes them. */
  if (memcmp(inputs_before, inputs_data, MODEL_INPUTS_BYTES) != 0) {
    fprintf(stderr, "demo: the model changed its inputs\n");
    return 1;
  }

  FILE *out = fopen(argv[2], "wb");
  if (!out ||
      fwrite(outputs_data, 1, MODEL_OUTPUTS_BYTES, out) !=
          MODEL_OUTPUTS_BYTES ||
      fclose(out) != 0) {
    fprintf(stderr, "demo: cannot write %s\n", argv[2]);
    return 1;
  }
  printf("arena %d bytes (%s), stack %d bytes, flash %d bytes; output 0: "
         "'%s', %d bytes\n",
         MODEL_ARENA_SIZE, MODEL_ARENA_IN_CALLER ? "the caller's" : "static",
         MODEL_STACK_BYTES, MODEL_FLASH_BYTES, MODEL_OUTPUT_0_NAME,
         MODEL_OUTPUT_0_BYTES);
  return 0;
}

/* The same without model_run, for the default convention (inputs and
 * outputs in a static arena):
 *
 *   memcpy((void *)model_input_0(), my_input, MODEL_INPUT_0_BYTES);
 *   model();
 *   memcpy(my_output, (const void *)model_output_0(), MODEL_OUTPUT_0_BYTES);
 *
 * With --io-in-arena=false: model(my_input, my_output); with
 * --arena-argument, the arena comes last: model(my_arena) and
 * model_input_0(my_arena). */
