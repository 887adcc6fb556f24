// The Asia/Shanghai calendar lives in @ecomlog/kernel; this module only keeps the old import path
// (registry's integration specs read shanghaiDay from here) and can go once nothing imports it.
export { shanghaiDay, shanghaiYear } from '@ecomlog/kernel';
