/* framelatch: lets @kmamal/sdl build against system SDL2 older than 2.30. */
#ifndef FRAMELATCH_SDL_COMPAT_H
#define FRAMELATCH_SDL_COMPAT_H
#include <SDL.h>
#if !SDL_VERSION_ATLEAST(2, 28, 0)
#define SDL_DISPLAYEVENT_MOVED 4
#endif
#if !SDL_VERSION_ATLEAST(2, 30, 0)
#define SDL_CONTROLLERSTEAMHANDLEUPDATED 0x65B
static inline Uint64 SDL_GameControllerGetSteamHandle(SDL_GameController *controller) {
  (void)controller;
  return 0;
}
#endif
#endif
