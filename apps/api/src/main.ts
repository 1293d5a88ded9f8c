import { placeholder } from '@shelfwatch/runtime';
import express from 'express';
console.log(placeholder, typeof express);
