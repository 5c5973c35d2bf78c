/* A bare-metal runtime for models compiled by ft-compile for Arm Cortex-M
 * (thumbv7em-none-eabihf: --target=cortex-m4 or cortex-m7), on
 * qemu-system-arm's mps2-an386 board: no libc, no OS. It reads every input
 * from UART0 (raw bytes, in order), runs the model once, counts the
 * instructions the model call executes, writes one text line,
 * "instructions N\n", and every output (raw bytes) to UART0, and exits
 * through semihosting. run.sh in this folder builds and runs it. A model
 * compiled with --profile-layers gets the profiling hooks defined here,
 * and one line per layer, "layer N NAME", before the count.
 *
 * The count is exact under qemu's -icount shift=0 (one instruction is one
 * nanosecond of virtual time), which run.sh passes. These cores' cycle
 * counter (the DWT's CYCCNT) is not modelled by qemu, so the count comes
 * from the CMSDK timer 0, which ticks every 40 instructions (25 MHz): a
 * loop of exactly 39 instructions reads it until two reads see the same
 * value, which happens only when the first read was the first instruction
 * after a tick. Both ends of the call are pinned that way; the start-up
 * checks the counter on a loop of known length and fails the run if it
 * is not exact.
 *
 * The header must declare the entry point `model` (ft-compile's default
 * name), in any calling convention, and is included with -include. */

#include <stdint.h>

#include "../ft_driver.h"
#include "../ft_memory.h"
#include "../ft_report.h"

/* The board's CMSDK APB UART0. */
#define UART0 0x40004000u
#define UART_DATA (*(volatile uint32_t *)(UART0 + 0x00))
#define UART_STATE (*(volatile uint32_t *)(UART0 + 0x04))
#define UART_CTRL (*(volatile uint32_t *)(UART0 + 0x08))
#define UART_BAUDDIV (*(volatile uint32_t *)(UART0 + 0x10))
enum { STATE_TX_FULL = 1, STATE_RX_FULL = 2, CTRL_TX_ON = 1, CTRL_RX_ON = 2 };

/* The board's CMSDK APB timer 0, counting down at 25 MHz. */
#define TIMER0 0x40000000u
#define TIMER_CTRL (*(volatile uint32_t *)(TIMER0 + 0x0))
#define TIMER_VALUE (*(volatile uint32_t *)(TIMER0 + 0x4))
#define TIMER_RELOAD (*(volatile uint32_t *)(TIMER0 + 0x8))
enum { TIMER_ENABLE = 1, INSTRUCTIONS_PER_TICK = 40, SYNC_LOOP = 39 };

/* The System Control Block's coprocessor access control (the FPU). */
#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)

static void write_byte(uint8_t byte) {
  while (UART_STATE & STATE_TX_FULL) {
  }
  UART_DATA = byte;
}

static uint8_t read_byte(void) {
  while (!(UART_STATE & STATE_RX_FULL)) {
  }
  return (uint8_t)UART_DATA;
}

/* Semihosting SYS_EXIT: qemu (with -semihosting) exits 0 for
 * ADP_Stopped_ApplicationExit, 1 otherwise. */
__attribute__((noreturn)) static void exit_with(int failed) {
  register uint32_t operation __asm__("r0") = 0x18;
  register uint32_t reason __asm__("r1") = failed ? 0x20023u : 0x20026u;
  __asm__ volatile("bkpt 0xab" : : "r"(operation), "r"(reason) : "memory");
  for (;;) {
  }
}

/* Reads the timer in a loop of exactly SYNC_LOOP instructions until two
 * reads see the same value: ticks come every INSTRUCTIONS_PER_TICK
 * instructions, so the read before the last one was the first instruction
 * after a tick. Returns the last value read and, in *iterations, the
 * loop's iterations (the caller subtracts their instructions); at most 40
 * when the count is exact, else (qemu without -icount) it gives up after
 * 64. In assembly: the loop's length is the measurement. */
__attribute__((naked, noinline)) static uint32_t
pin_tick(volatile uint32_t *value, uint32_t *iterations) {
  __asm__ volatile("push {r4, r5}\n\t"
                   "movs r5, #0\n\t"
                   "ldr r2, [r0]\n\t"
                   /* The first read is SYNC_LOOP instructions before the
                    * loop's own, like every later pair. */
                   ".rept 38\n\tnop\n\t.endr\n"
                   "1:\n\t"
                   "ldr r3, [r0]\n\t"
                   "add r5, r5, #1\n\t"
                   "cmp r5, #64\n\t"
                   "bhs 2f\n\t"
                   "subs r4, r2, r3\n\t"
                   "mov r2, r3\n\t"
                   ".rept 32\n\tnop\n\t.endr\n\t"
                   "bne 1b\n"
                   "2:\n\t"
                   "str r5, [r1]\n\t"
                   "mov r0, r2\n\t"
                   "pop {r4, r5}\n\t"
                   "bx lr\n");
}

/* Instructions from pinning a tick to the next pin, less the second pin's
 * loop; what the code in between executes plus a fixed overhead. */
static uint64_t since_tick(uint32_t tick) {
  uint32_t iterations;
  const uint32_t now = pin_tick(&TIMER_VALUE, &iterations);
  return (uint64_t)(uint32_t)(tick - now) * INSTRUCTIONS_PER_TICK -
         (uint64_t)iterations * SYNC_LOOP;
}

/* Instructions that `function`'s call executes, plus the same fixed
 * overhead for every `function` (measure the empty one to subtract it). */
__attribute__((noinline)) static uint64_t measure(void (*function)(void)) {
  uint32_t iterations;
  const uint32_t tick = pin_tick(&TIMER_VALUE, &iterations);
  function();
  return since_tick(tick);
}

/* One instruction each; a loop of 2 per iteration. */
__attribute__((naked, noinline)) static void empty_function(void) {
  __asm__ volatile("bx lr\n");
}
__attribute__((naked, noinline)) static void thousand_iterations(void) {
  __asm__ volatile("movw r0, #1000\n\t"
                   "1:\n\t"
                   "subs r0, r0, #1\n\t"
                   "bne 1b\n\t"
                   "bx lr\n");
}

static void invoke(void) { ft_invoke(); }

#ifdef MODEL_NUM_PROFILED_LAYERS
/* The per-layer profile (ft-compile --profile-layers): instructions between
 * each ft_profile_begin and ft_profile_end, summed per slot; the last slot
 * sums the code of no layer. Each pair costs about 2,000 instructions of
 * pinning, which the whole call's count includes. */
static uint32_t profile_tick;
static uint64_t profile_overhead;

void ft_profile_begin(int32_t slot) {
  (void)slot;
  uint32_t iterations;
  profile_tick = pin_tick(&TIMER_VALUE, &iterations);
}

void ft_profile_end(int32_t slot) {
  ft_profile[ft_profile_slot(slot)] +=
      since_tick(profile_tick) - profile_overhead;
}

/* An empty layer, as the model brackets one (the slot in r0): its count
 * is the hooks' own overhead. */
__attribute__((naked, noinline)) static void empty_layer(void) {
  __asm__ volatile("push {r4, lr}\n\t"
                   "movs r0, #0\n\t"
                   "bl ft_profile_begin\n\t"
                   "movs r0, #0\n\t"
                   "bl ft_profile_end\n\t"
                   "pop {r4, pc}\n");
}

#endif

int main(void) {
  UART_BAUDDIV = 16;
  UART_CTRL = CTRL_TX_ON | CTRL_RX_ON;
  TIMER_RELOAD = 0xffffffffu;
  TIMER_VALUE = 0xffffffffu;
  TIMER_CTRL = TIMER_ENABLE;
  ft_read_inputs();
  /* The counter is exact, or the run fails: 2,002 instructions (movw,
   * 1,000 x subs and bne, bx) must count as that. */
  const uint64_t overhead = measure(empty_function) - 1;
  if (measure(thousand_iterations) - overhead != 2002) {
    ft_write_text("the instruction counter is not exact: qemu needs "
                  "-icount shift=0\n");
    return 1;
  }
#ifdef MODEL_NUM_PROFILED_LAYERS
  empty_layer();
  profile_overhead = ft_profile[0];
  ft_profile[0] = 0;
#endif
  ft_write_report(measure(invoke) - overhead);
  return 0;
}

extern uint32_t __stack_top, __bss_start, __bss_end;

/* Reset: the FPU on (the model's float code faults otherwise), .bss (the
 * arena) zeroed, main. */
__attribute__((noreturn)) void ft_reset(void) {
  SCB_CPACR |= 0xFu << 20; /* CP10 and CP11: full access */
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  for (uint32_t *word = &__bss_start; word < &__bss_end; ++word)
    *word = 0;
  exit_with(main() != 0);
}

/* A fault ends the run with a failure. */
__attribute__((noreturn)) static void ft_fault(void) { exit_with(1); }

/* The vector table: initial stack pointer, reset, and every fault. */
__attribute__((section(".vectors"),
               used)) static void (*const vectors[16])(void) = {
    (void (*)(void))(&__stack_top),
    ft_reset,
    ft_fault, /* NMI */
    ft_fault, /* HardFault */
    ft_fault, /* MemManage */
    ft_fault, /* BusFault */
    ft_fault, /* UsageFault */
};
